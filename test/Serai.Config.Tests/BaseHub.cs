namespace Serai.Config.Tests;

/// <summary>A small valid hub that table-driven tests break one field at a time.</summary>
internal static class BaseHub
{
    public const string Text = """
        hub:
          name: test
        sites:
          - name: kz-astana
            country: KZ
            utcOffsetHours: 5
            gridMw: 3
            itCapMw: 2
            climate:
              monthlyMeanC: [-14, -13, -6, 5, 13, 19, 21, 19, 12, 4, -5, -11]
              dailyRangeC: 10
            cooling:
              freeCoolingBelowC: 17
            carbon:
              meanGPerKwh: 592
            price:
              meanUsdPerKwh: 0.058
              peakHours: "08-22"
            pools:
              - name: h200
                accelerator: H200
                nodes: 16
                gpusPerNode: 8
          - name: uz-termez
            country: UZ
            utcOffsetHours: 5
            gridMw: 6
            itCapMw: 4
            climate:
              monthlyMeanC: [3, 6, 12, 19, 25, 30, 31, 29, 23, 16, 10, 5]
            carbon:
              meanGPerKwh: 472
            price:
              meanUsdPerKwh: 0.076
            pools:
              - name: mi300x
                accelerator: MI300X
                nodes: 8
                gpusPerNode: 8
        links:
          - from: kz-astana
            to: uz-termez
            bandwidthGbps: 100
            latencyMs: 10
        tenants:
          - name: emergencies
            guaranteedGpus: {H200: 64}
            allowedCountries: [KZ]
            priorityClasses: [emergency, high, normal]
          - name: startups
            borrowLimitGpus: 64
        datasets:
          - name: kz-citizens
            owner: emergencies
            sizeGb: 2000
            homeSite: kz-astana
            allowedCountries: [KZ]
        aiSystems:
          - id: flood-warning
            owner: emergencies
            risk: high
            approved: true

        """;

    /// <summary>The base text with the first occurrence of <paramref name="find"/> replaced.</summary>
    public static string With(string find, string replace)
    {
        var at = Text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{find}' is not in the base hub");
        return string.Concat(Text.AsSpan(0, at), replace, Text.AsSpan(at + find.Length));
    }

    /// <summary>1-based line of the first occurrence of <paramref name="marker"/> in <paramref name="text"/>.</summary>
    public static int LineOf(string text, string marker)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{marker}' is not in the text");
        return text[..at].Count(c => c == '\n') + 1;
    }
}
