using Serai.Config;
using Serai.Config.Catalogue;
using Serai.Core.Model;
using Serai.Execution.Local;

namespace Serai.Server;

/// <summary>Loads the hub configuration the server runs, and fits a one-machine hub to the GPUs `nvidia-smi` reports.</summary>
public static class HubFiles
{
    public static HubModel Load(string path) => LoadConfig(path).Hub!;

    /// <summary>The profile the server runs: <paramref name="name"/> (a built-in or one of the file's), else the file's choice.</summary>
    public static Scheduling.Profiles.SchedulerProfile Profile(string path, string? name)
    {
        var scheduling = File.Exists(path) ? LoadConfig(path).Scheduling! : Scheduling.Profiles.SchedulingConfig.Default;
        if (string.IsNullOrWhiteSpace(name))
        {
            return scheduling.Profile;
        }
        return scheduling.ByName(name)
            ?? throw new InvalidOperationException($"profile: '{name}' is not a scheduler profile; allowed: {scheduling.Names}");
    }

    /// <summary>The accounts local jobs run as, by tenant (the tenants' <c>runAs</c>); empty when the hub is not a readable file.</summary>
    public static IReadOnlyDictionary<string, string> RunAs(string path) =>
        File.Exists(path) && HubConfigLoader.LoadFile(path) is { Ok: true } result ? result.RunAs : new Dictionary<string, string>();

    private static HubConfigResult LoadConfig(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"hub: file '{Path.GetFullPath(path)}' does not exist; give --hub FILE (e.g. hubs/local.yaml)");
        }
        var result = HubConfigLoader.LoadFile(path);
        if (!result.Ok)
        {
            throw new InvalidOperationException($"hub: '{path}' has {result.Errors.Count} error(s):\n" + string.Join('\n', result.Errors));
        }
        return result;
    }

    /// <summary>
    /// A hub of one site and one pool is this machine: when `nvidia-smi` lists GPUs, the pool becomes one node with
    /// those GPUs, of the catalogue model whose name the GPU name contains. Any other hub is returned unchanged.
    /// </summary>
    public static HubModel FitToLocalGpus(HubModel hub, IReadOnlyList<LocalGpu> gpus)
    {
        if (gpus.Count == 0 || hub.Sites.Length != 1 || hub.Pools.Length != 1)
        {
            return hub;
        }
        var name = AcceleratorSpec.Key(gpus[0].Name);
        var spec = DefaultCatalogue.Accelerators.Where(a => name.Contains(AcceleratorSpec.Key(a.Model), StringComparison.Ordinal))
            .OrderByDescending(a => a.Model.Length).FirstOrDefault();
        var accelerators = hub.Accelerators.ToList();
        var stacks = hub.Stacks.ToList();
        var tenants = hub.Tenants;
        var accelerator = hub.Pools[0].Accelerator;
        if (spec is not null)
        {
            var found = accelerators.FindIndex(a => AcceleratorSpec.Key(a.Model) == AcceleratorSpec.Key(spec.Model));
            if (found < 0)
            {
                if (!stacks.Contains(spec.Stack))
                {
                    stacks.Add(spec.Stack);
                }
                accelerators.Add(new Accelerator(accelerators.Count, spec.Model, spec.Vendor, spec.Stack, stacks.IndexOf(spec.Stack),
                    gpus[0].MemoryGb, spec.Bf16Tflops, spec.TdpWatts, spec.IdleWatts));
                tenants = [.. tenants.Select(t => t with { GuaranteedGpus = [.. t.GuaranteedGpus, 0] })];
                found = accelerators.Count - 1;
            }
            accelerator = accelerators[found];
        }
        var pool = hub.Pools[0] with { Nodes = 1, GpusPerNode = Math.Min(64, gpus.Count), Accelerator = accelerator, NodesPerBlock = 1 };
        return new HubModel(hub.Name, hub.Countries, stacks, accelerators, hub.Sites, [pool], hub.Links, tenants, hub.Datasets, hub.ConfiguredAiSystems.Systems)
        {
            RequireAiSystemForPersonalData = hub.RequireAiSystemForPersonalData,
        };
    }
}
