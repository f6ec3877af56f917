using System.Data.Common;
using Dapper;

namespace Serai.Server.Persistence;

/// <summary>Each tenant's decayed fair-share usage as of a time, so that a restart resumes fair share where it was.</summary>
public sealed class TenantUsageStore(SeraiDatabase database)
{
    public IReadOnlyList<(string Tenant, double DecayedGpuSeconds, long AsOfUnix)> LoadAll()
    {
        using var connection = database.Open();
        return connection.Query<(string, double, long)>("select tenant, decayed_gpu_seconds, as_of_unix from tenant_usage order by tenant").AsList();
    }

    public static void Save(DbConnection c, DbTransaction t, IReadOnlyList<string> tenants, IReadOnlyList<double> decayedGpuSeconds, long asOfUnix)
    {
        for (var i = 0; i < tenants.Count && i < decayedGpuSeconds.Count; i++)
        {
            c.Execute(
                "insert into tenant_usage (tenant, decayed_gpu_seconds, as_of_unix) values (@tenant, @value, @asOfUnix) " +
                "on conflict (tenant) do update set decayed_gpu_seconds = excluded.decayed_gpu_seconds, as_of_unix = excluded.as_of_unix",
                new { tenant = tenants[i], value = decayedGpuSeconds[i], asOfUnix }, t);
        }
    }
}
