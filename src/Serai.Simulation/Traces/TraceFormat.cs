namespace Serai.Simulation.Traces;

/// <summary>Trace formats the simulator reads.</summary>
public enum TraceFormat
{
    /// <summary>Microsoft ITP: job_id,submission_time,duration,num_gpu; one file per cluster.</summary>
    Itp,

    /// <summary>Philly-derived: timestamp,duration,num_gpus,gpu_time,cluster.</summary>
    Philly,

    /// <summary>Alibaba GPU pods: name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time.</summary>
    Alibaba,
}

/// <summary>What to do with a row that does not parse: skip it (reported) or stop.</summary>
public enum BadRowPolicy
{
    Skip,
    Fail,
}
