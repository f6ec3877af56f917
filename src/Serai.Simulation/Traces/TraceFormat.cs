namespace Serai.Simulation.Traces;

/// <summary>Trace formats the simulator reads.</summary>
public enum TraceFormat
{
    /// <summary>Microsoft ITP: job_id,submission_time,duration,num_gpu; one file per cluster.</summary>
    Itp,

    /// <summary>Philly: the job list (timestamp,duration,num_gpus,gpu_time,cluster) or Microsoft's JSON job log (cluster_job_log).</summary>
    Philly,

    /// <summary>Alibaba GPU pods: name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time.</summary>
    Alibaba,

    /// <summary>Slurm-accounting job logs: Helios (cluster_log.csv) and AcmeTrace (trace_*.csv): submit_time, gpu_num, duration or start and end, vc or user.</summary>
    Helios,

    /// <summary>Alibaba PAI 2020 (cluster-trace-gpu-v2020): pai_task_table.csv, with pai_job_table.csv beside it.</summary>
    Pai,
}

/// <summary>What to do with a row that does not parse: skip it (reported) or stop.</summary>
public enum BadRowPolicy
{
    Skip,
    Fail,
}
