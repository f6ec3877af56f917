namespace Serai.Server.Operations;

/// <summary>
/// What a site's figures may be, wherever they come from (an operator's override, a what-if, a feed posted or scraped):
/// an outdoor temperature from −60 to 70 °C and a power from 0 to 10^11 W (100 GW, beyond any site).
/// </summary>
public static class SiteFigureRanges
{
    public const double MinTemperatureC = -60;
    public const double MaxTemperatureC = 70;
    public const double MaxWatts = 1e11;
}
