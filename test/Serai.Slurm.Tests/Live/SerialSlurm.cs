namespace Serai.Slurm.Tests.Live;

/// <summary>Tests that take nodes down or count free GPUs run one after another; only the long time-limit test runs beside them.</summary>
[CollectionDefinition(Name)]
public sealed class SerialSlurm
{
    public const string Name = "serial Slurm tests";
}
