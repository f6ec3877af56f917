using Serai.Config.Reading;
using Serai.Core.Model;

namespace Serai.Config.Sections;

/// <summary><c>aiSystems:</c> the registry of AI systems with their risk class (Kazakh AI law No. 230-VII) and approval.</summary>
internal static class AiSystemSection
{
    private const string RiskAllowed = "one of the risk classes minimal, medium, high";
    private static readonly string[] Keys = ["id", "owner", "risk", "approved"];

    public static AiSystem?[] Read(MapReader root, LoadContext context)
    {
        var items = root.List("aiSystems", required: false, "a list of AI systems, each with id, owner, risk");
        context.AiSystems.Incomplete |= items is null;
        var systems = new AiSystem?[items?.Count ?? 0];
        for (var i = 0; i < systems.Length; i++)
        {
            var map = MapReader.Open(items![i], $"aiSystems[{i}]", context.Errors, Keys);
            context.AiSystems.Incomplete |= map is null;
            if (map is not null)
            {
                systems[i] = Read(map, i, context);
            }
        }
        return systems;
    }

    private static AiSystem? Read(MapReader map, int index, LoadContext context)
    {
        var id = context.AiSystems.Read(map, "id", index);
        var ownerName = map.Text("owner", required: true, context.Tenants.Known);
        var owner = ownerName is null ? null : context.Tenants.Resolve(ownerName, map.Get("owner")!, map.Field("owner"));
        var riskText = map.Text("risk", required: true, RiskAllowed);
        RiskClass? risk = riskText?.ToLowerInvariant() switch
        {
            null => null,
            "minimal" => RiskClass.Minimal,
            "medium" => RiskClass.Medium,
            "high" => RiskClass.High,
            _ => null,
        };
        if (riskText is not null && risk is null)
        {
            map.Errors.Add(map.Get("risk")!, map.Field("risk"), riskText, RiskAllowed);
        }
        var approved = map.Bool("approved", false);
        if (id is null || owner is null || risk is null || approved is null)
        {
            return null;
        }
        return new AiSystem(index, id, owner.Value, risk.Value, approved.Value);
    }
}
