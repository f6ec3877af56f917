namespace Serai.Cli.Bench;

/// <summary>Whether Slurm's sbatch is on this machine, for a side-by-side figure.</summary>
public static class SbatchBench
{
    /// <summary>A note for the report: where sbatch is, or that it is missing and the comparison was skipped.</summary>
    public static string Describe()
    {
        var path = Find();
        return path is null
            ? "sbatch not found on this machine: no Slurm side-by-side figure"
            : $"sbatch found at {path}: run `bash scripts/bench-sbatch.sh` for the side-by-side figure";
    }

    /// <summary>sbatch on PATH, or null.</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "sbatch"))
            .FirstOrDefault(File.Exists);
}
