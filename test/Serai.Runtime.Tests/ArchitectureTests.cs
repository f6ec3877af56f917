using System.Reflection;
using System.Text.RegularExpressions;

namespace Serai.Runtime.Tests;

/// <summary>Core, the scheduler and the runtime stay pure: no web, database or file-system API, no wall clock.</summary>
public partial class ArchitectureTests
{
    [Theory]
    [InlineData("Serai.Core", new[] { "Serai.Core" })]
    [InlineData("Serai.Scheduling", new[] { "Serai.Core" })]
    [InlineData("Serai.Runtime", new[] { "Serai.Core", "Serai.Scheduling" })]
    public void Core_scheduler_and_runtime_reference_only_the_base_library_and_the_layers_below(string assemblyName, string[] allowed)
    {
        var assembly = Assembly.Load(assemblyName);
        var references = assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        var foreign = references.Where(r => !(r.StartsWith("System", StringComparison.Ordinal) || r == "netstandard" || allowed.Contains(r))).ToList();
        Assert.True(foreign.Count == 0, $"{assemblyName} references {string.Join(", ", foreign)}");
        Assert.DoesNotContain(references, r => r.StartsWith("System.Data", StringComparison.Ordinal) || r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Serai.Core")]
    [InlineData("Serai.Scheduling")]
    [InlineData("Serai.Runtime")]
    public void Core_scheduler_and_runtime_never_read_the_wall_clock_the_file_system_or_unseeded_randomness(string project)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Serai.slnx")))
        {
            root = root.Parent;
        }
        var sources = Directory.EnumerateFiles(Path.Combine(root!.FullName, "src", project), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(sources);
        var offences = sources
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
            .Where(l => Forbidden().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(offences.Count == 0, string.Join("\n", offences));
    }

    [GeneratedRegex(@"DateTime(Offset)?\.(Utc)?Now|Stopwatch|Environment\.TickCount|\bFile\.|\bDirectory\.|new Random\(\)|Random\.Shared|Thread\.Sleep|System\.Data|System\.IO|Microsoft\.AspNetCore|Task\.Delay")]
    private static partial Regex Forbidden();
}
