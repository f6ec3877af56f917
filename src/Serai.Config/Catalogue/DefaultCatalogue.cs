using Serai.Core.Catalogue;
using Serai.Core.Model;

namespace Serai.Config.Catalogue;

/// <summary>
/// <see cref="AcceleratorCatalogue"/> under its former Config name, for callers that still use it (the server's
/// HubFiles); no figures live here. New code uses <see cref="AcceleratorCatalogue"/>.
/// </summary>
public static class DefaultCatalogue
{
    public static IReadOnlyList<AcceleratorSpec> Accelerators => AcceleratorCatalogue.All;

    public static AcceleratorSpec? Find(string model) => AcceleratorCatalogue.Find(model);
}
