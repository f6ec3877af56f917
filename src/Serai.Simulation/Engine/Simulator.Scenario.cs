using Serai.Runtime.Lifecycle;
using Serai.Simulation.Scenarios;

namespace Serai.Simulation.Engine;

/// <summary>Scenario steps: heat waves, grid caps, failures and vendor cut-offs, as site operations on the runtime.</summary>
public sealed partial class Simulator
{
    /// <summary>GPUs of the vendors cut off so far (closed or gone).</summary>
    public int GpusCutOff { get; private set; }

    private void ApplyStep(ScenarioStep step)
    {
        switch (step.Kind)
        {
            case StepKind.HeatWaveOn:
            case StepKind.HeatWaveOff:
                _overrides.AddOffset(step.Site, step.Kind == StepKind.HeatWaveOn ? step.Value : -step.Value);
                Retry(() => Runtime.SetOverride(step.Site, _overrides.For(step.Site)));
                break;
            case StepKind.GridCapOn:
                _overrides.AddCap(step.Site, step.Value);
                Retry(() => Runtime.SetOverride(step.Site, _overrides.For(step.Site)));
                break;
            case StepKind.GridCapOff:
                _overrides.RemoveCap(step.Site, step.Value);
                Retry(() => Runtime.SetOverride(step.Site, _overrides.For(step.Site)));
                break;
            case StepKind.SiteDown:
                foreach (var p in Hub.Sites[step.Site].PoolIndexes)
                {
                    Retry(() => Runtime.EvictPool(p, StopCause.SiteFailure));
                }
                _overrides.SetDown(step.Site, true);
                Retry(() => Runtime.SetOverride(step.Site, _overrides.For(step.Site)));
                break;
            case StepKind.SiteUp:
                _overrides.SetDown(step.Site, false);
                Retry(() => Runtime.SetOverride(step.Site, _overrides.For(step.Site)));
                break;
            case StepKind.NodeDown:
                Retry(() => Runtime.SetNodeDown(step.Pool, step.Node, true, StopCause.NodeFailure));
                break;
            case StepKind.NodeUp:
                Retry(() => Runtime.SetNodeDown(step.Pool, step.Node, false));
                break;
            case StepKind.VendorClosed:
            case StepKind.VendorGone:
                CutVendor(step);
                break;
        }
    }

    private void CutVendor(ScenarioStep step)
    {
        foreach (var pool in Hub.Pools)
        {
            if (!string.Equals(pool.Accelerator.Vendor, step.Vendor, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            GpusCutOff += pool.Gpus;
            Retry(() => Runtime.SetPoolClosed(pool.Index, true));
            if (step.Kind == StepKind.VendorGone)
            {
                Retry(() => Runtime.EvictPool(pool.Index, StopCause.VendorGone));
                for (var n = 0; n < pool.Nodes; n++)
                {
                    Retry(() => Runtime.SetNodeDown(pool.Index, n, true, StopCause.VendorGone));
                }
            }
        }
    }
}
