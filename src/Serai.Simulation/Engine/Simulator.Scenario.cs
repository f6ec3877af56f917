using Serai.Simulation.Scenarios;

namespace Serai.Simulation.Engine;

/// <summary>Scenario steps: heat waves, grid caps, failures and vendor cut-offs.</summary>
public sealed partial class Simulator
{
    /// <summary>GPUs of the vendors cut off so far (closed or gone).</summary>
    public int GpusCutOff { get; private set; }

    private void ApplyStep(ScenarioStep step, long t)
    {
        switch (step.Kind)
        {
            case StepKind.HeatWaveOn:
            case StepKind.HeatWaveOff:
                _overrides.AddOffset(step.Site, step.Kind == StepKind.HeatWaveOn ? step.Value : -step.Value);
                State.SetOverride(step.Site, _overrides.For(step.Site));
                break;
            case StepKind.GridCapOn:
                _overrides.AddCap(step.Site, step.Value);
                State.SetOverride(step.Site, _overrides.For(step.Site));
                break;
            case StepKind.GridCapOff:
                _overrides.RemoveCap(step.Site, step.Value);
                State.SetOverride(step.Site, _overrides.For(step.Site));
                break;
            case StepKind.SiteDown:
                foreach (var p in Hub.Sites[step.Site].PoolIndexes)
                {
                    EvictPool(p, t, StopReason.SiteFailure);
                }
                _overrides.SetDown(step.Site, true);
                State.SetOverride(step.Site, _overrides.For(step.Site));
                break;
            case StepKind.SiteUp:
                _overrides.SetDown(step.Site, false);
                State.SetOverride(step.Site, _overrides.For(step.Site));
                break;
            case StepKind.NodeDown:
                if (!State.Pools[step.Pool].IsDown(step.Node))
                {
                    EvictNode(step.Pool, step.Node, t, StopReason.NodeFailure);
                    State.SetNodeDown(step.Pool, step.Node, true);
                }
                break;
            case StepKind.NodeUp:
                State.SetNodeDown(step.Pool, step.Node, false);
                break;
            case StepKind.VendorClosed:
            case StepKind.VendorGone:
                CutVendor(step, t);
                break;
        }
        FlushRequeued();
        Ledger.Refresh(State, t);
        _dirty = true;
        _envelopeChanged = true;
    }

    private void CutVendor(ScenarioStep step, long t)
    {
        foreach (var pool in Hub.Pools)
        {
            if (!string.Equals(pool.Accelerator.Vendor, step.Vendor, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            GpusCutOff += pool.Gpus;
            State.SetPoolClosed(pool.Index, true);
            if (step.Kind == StepKind.VendorGone)
            {
                EvictPool(pool.Index, t, StopReason.VendorGone);
                for (var n = 0; n < pool.Nodes; n++)
                {
                    State.SetNodeDown(pool.Index, n, true);
                }
            }
        }
    }

    private void EvictPool(int pool, long t, StopReason reason)
    {
        for (var n = 0; n < Hub.Pools[pool].Nodes; n++)
        {
            EvictNode(pool, n, t, reason);
        }
    }
}
