namespace Serai.Execution;

/// <summary>The environment variable that restricts a process to some GPUs, per vendor.</summary>
public static class GpuVisibility
{
    public static string VariableFor(string vendor) => vendor.Trim().ToLowerInvariant() switch
    {
        "amd" => "ROCR_VISIBLE_DEVICES",
        "huawei" or "ascend" => "ASCEND_RT_VISIBLE_DEVICES",
        _ => "CUDA_VISIBLE_DEVICES",
    };
}
