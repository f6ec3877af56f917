namespace Serai.Cli.Commands.Simulate;

/// <summary>The flags of `serai simulate`, as given.</summary>
public sealed record SimulateArguments
{
    public string? Hub { get; init; }
    public string? Trace { get; init; }
    public string Format { get; init; } = "itp";

    /// <summary>The main policy; null runs the profile that the hub config's <c>scheduling:</c> section picks (serai by default).</summary>
    public string? Policy { get; init; }

    /// <summary>Score weights of the main policy, <c>NAME=WEIGHT</c> each, as given.</summary>
    public IReadOnlyList<string> Scores { get; init; } = [];

    /// <summary>Deferral of the main policy, <c>on</c> or <c>off</c>, as given; null keeps the profile's.</summary>
    public string? Deferral { get; init; }

    public string? Compare { get; init; }
    public int Seed { get; init; } = 42;
    public IReadOnlyList<string> Scenarios { get; init; } = [];
    public string Out { get; init; } = "out/simulate";
    public string? Mapping { get; init; }
    public string BadRows { get; init; } = "skip";

    /// <summary>Largest share of bad trace rows a run goes on with (skipping them); more stops it.</summary>
    public double MaxBadShare { get; init; } = 0.01;
    public string? Start { get; init; }
    public int Synthetic { get; init; }

    /// <summary>Offered load of the synthetic jobs (null: the generator's default).</summary>
    public double? Load { get; init; }
    public long CycleSeconds { get; init; }
    public double? DeferrableShare { get; init; }
    public double? CheckpointableShare { get; init; }
    public bool Quiet { get; init; }

    /// <summary>The GPU the trace's durations were measured on: turns the speed model on (null: every GPU runs at trace speed).</summary>
    public string? ReferenceGpu { get; init; }
    public string CommandLine { get; init; } = "serai simulate";
}
