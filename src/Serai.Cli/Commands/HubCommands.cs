using System.CommandLine;

namespace Serai.Cli.Commands;

/// <summary>`serai hub check FILE` and `serai hub show FILE [--json]`.</summary>
public static class HubCommands
{
    public static Command Create()
    {
        var hub = new Command("hub", "Validate and describe a hub configuration");
        return hub;
    }
}
