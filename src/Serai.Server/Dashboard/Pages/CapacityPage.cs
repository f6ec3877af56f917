using System.Text;
using Dapper;
using Serai.Core.Model;
using Serai.Server.Persistence;
using static Serai.Server.Dashboard.Html;

namespace Serai.Server.Dashboard.Pages;

/// <summary>Page 5: site → pool → model, one cell per GPU, coloured by the tenant holding it.</summary>
public static class CapacityPage
{
    public static async Task<string> RenderAsync(Viewer viewer, HubModel hub, SeraiDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var held = (await connection.QueryAsync<(string Site, string Pool, string Tenant, long Gpus)>(new CommandDefinition(
            "select site, pool, tenant, cast(sum(gpus) as bigint) from jobs where state in ('admitted', 'starting', 'running', 'stopping') and site is not null and pool is not null group by site, pool, tenant order by tenant",
            cancellationToken: cancellationToken))).ToList();
        var html = new StringBuilder("<p>Each square is one GPU (in pools of more than 512 GPUs, the number of GPUs its caption says). A tenant sees its own GPUs in colour and other tenants' as “in use”.</p><ul class=\"legend\">");
        foreach (var t in hub.Tenants.Where(t => viewer.Caller.MaySee(t.Name)))
        {
            html.Append($"<li><svg viewBox=\"0 0 10 10\" class=\"swatch\" aria-hidden=\"true\"><rect class=\"{TenantClass(t.Index)}\" width=\"10\" height=\"10\"/></svg> {E(t.Name)}</li>");
        }
        html.Append("<li><svg viewBox=\"0 0 10 10\" class=\"swatch\" aria-hidden=\"true\"><rect class=\"other\" width=\"10\" height=\"10\"/></svg> in use (other tenants)</li>");
        html.Append("<li><svg viewBox=\"0 0 10 10\" class=\"swatch\" aria-hidden=\"true\"><rect class=\"free\" width=\"10\" height=\"10\"/></svg> free</li></ul>");
        foreach (var site in hub.Sites)
        {
            html.Append($"<section aria-labelledby=\"cap-{E(site.Name)}\"><h2 id=\"cap-{E(site.Name)}\">{E(site.Name)}</h2><div class=\"pools\">");
            if (!hub.Pools.Any(p => p.Site == site.Index))
            {
                html.Append("<p>No GPU pools at this site.</p>");
            }
            foreach (var pool in hub.Pools.Where(p => p.Site == site.Index))
            {
                var rows = held.Where(h => h.Site == site.Name && h.Pool == pool.Name).ToList();
                var cells = rows.Where(r => viewer.Caller.MaySee(r.Tenant))
                    .Select(r => (r.Tenant, hub.TenantIndex(r.Tenant) ?? 0, (int)r.Gpus)).ToList();
                var others = rows.Where(r => !viewer.Caller.MaySee(r.Tenant)).Sum(r => r.Gpus);
                if (others > 0)
                {
                    cells.Add(("in use", -1, (int)others));
                }
                var used = rows.Sum(r => r.Gpus);
                var per = Svg.GpusPerCell(pool.Gpus);
                html.Append($"<figure class=\"pool\"><figcaption><strong>{E(pool.Name)}</strong> · {E(pool.Accelerator.Vendor)} {E(pool.Accelerator.Model)} · {I(used)} used of {I(pool.Gpus)}{(per > 1 ? $" · a square is {per} GPUs" : "")}</figcaption>");
                html.Append(Svg.GpuGrid(pool.Gpus, cells, $"{pool.Name}: {used} of {pool.Gpus} {pool.Accelerator.Model} GPUs in use"));
                html.Append("</figure>");
            }
            html.Append("</div></section>");
        }
        return html.ToString();
    }
}
