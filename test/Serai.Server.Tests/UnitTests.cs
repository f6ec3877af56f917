using Serai.Contracts;
using Serai.Execution;
using Serai.Execution.Local;
using Serai.Server.Persistence;

namespace Serai.Server.Tests;

/// <summary>Small pure pieces: sbatch time limits, nvidia-smi parsing, fitting the local hub, GPU variables, database URLs.</summary>
public sealed class UnitTests
{
    [Theory]
    [InlineData("90", 5400)]
    [InlineData("5:30", 330)]
    [InlineData("2:00:00", 7200)]
    [InlineData("1-12", 129600)]
    [InlineData("1-00:30", 88200)]
    [InlineData("2-01:02:03", 176523)]
    public void Time_limits_read_like_sbatch(string text, long seconds) => Assert.Equal(seconds, TimeLimit.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("1:60")]
    [InlineData("1:60:00")]
    [InlineData("-5")]
    [InlineData("1-2-3")]
    [InlineData("2h")]
    [InlineData("400-00")]
    public void Bad_time_limits_are_refused(string text) => Assert.Null(TimeLimit.Parse(text));

    [Fact]
    public void Nvidia_smi_csv_is_parsed()
    {
        var gpus = LocalGpus.Parse("0, NVIDIA H200, 143771\n1, NVIDIA H200, 143771 MiB\nbad line\n");
        Assert.Equal(2, gpus.Count);
        Assert.Equal(new LocalGpu(1, "NVIDIA H200", 140.4), gpus[1]);
    }

    [Fact]
    public void A_one_pool_hub_is_fitted_to_the_gpus_nvidia_smi_reports()
    {
        var oneSite = TestHubs.Small();
        var fitted = HubFiles.FitToLocalGpus(oneSite, [new LocalGpu(0, "NVIDIA H200", 140), new LocalGpu(1, "NVIDIA H200", 140)]);
        var pool = Assert.Single(fitted.Pools);
        Assert.Equal((1, 2, "H200"), (pool.Nodes, pool.GpusPerNode, pool.Accelerator.Model));
        Assert.All(fitted.Tenants, t => Assert.Equal(fitted.Accelerators.Length, t.GuaranteedGpus.Length));
        Assert.Same(oneSite, HubFiles.FitToLocalGpus(oneSite, []));
    }

    [Theory]
    [InlineData("NVIDIA", "CUDA_VISIBLE_DEVICES")]
    [InlineData("AMD", "ROCR_VISIBLE_DEVICES")]
    [InlineData("Huawei", "ASCEND_RT_VISIBLE_DEVICES")]
    public void Each_vendor_has_its_gpu_variable(string vendor, string variable) => Assert.Equal(variable, GpuVisibility.VariableFor(vendor));

    [Fact]
    public void Database_urls_name_what_is_allowed()
    {
        Assert.Equal(DatabaseKind.Sqlite, DatabaseUrl.Parse("sqlite:/tmp/x.db").Kind);
        Assert.Equal(DatabaseKind.Postgres, DatabaseUrl.Parse("postgres:Host=h;Database=d").Kind);
        var error = Assert.Throws<ArgumentException>(() => DatabaseUrl.Parse("mysql://x"));
        Assert.Contains("sqlite:PATH or postgres:", error.Message, StringComparison.Ordinal);
    }
}
