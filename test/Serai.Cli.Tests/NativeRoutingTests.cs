using System.CommandLine;
using Serai.Cli.Commands;

namespace Serai.Cli.Tests;

/// <summary>Which command lines the native client runs itself and which it hands to the full CLI.</summary>
public sealed class NativeRoutingTests
{
    private static readonly RootCommand Native = ClientCommands.AddTo(new RootCommand(ClientCommands.Description));

    [Theory]
    [InlineData("jobs")]
    [InlineData("submit --gpus 1 -- true")]
    [InlineData("--hub-profile lab jobs --json")]
    [InlineData("--hub-profile=lab cancel 12")]
    [InlineData("config list")]
    [InlineData("completion bash")]
    [InlineData("site drain local --reason x")]
    [InlineData("[suggest:15]|serai jobs -o y")]
    [InlineData("[suggest:35]|serai --hub-profile lab submit --ch")]
    public void The_native_client_runs_the_client_commands_itself(string line) =>
        Assert.True(ClientEntry.Owns(Native, Words(line)));

    [Theory]
    [InlineData("serve")]
    [InlineData("simulate --synthetic 10")]
    [InlineData("bench cli")]
    [InlineData("hub check hubs/local.yaml")]
    [InlineData("--hub-profile lab serve")]
    [InlineData("--help")]
    [InlineData("--version")]
    [InlineData("[suggest:8]|serai su")]
    [InlineData("[suggest:28]|serai --hub-profile lab sub")]
    [InlineData("[suggest:16]|serai simulate --")]
    [InlineData("[suggest:6]|serai ")]
    [InlineData("no-such-command")]
    [InlineData("")]
    public void Every_other_command_line_goes_to_the_full_CLI(string line) =>
        Assert.False(ClientEntry.Owns(Native, Words(line)));

    // a completion call is two words, the directive and the line: written here with | between them
    private static string[] Words(string line) =>
        line.Contains('|', StringComparison.Ordinal) ? line.Split('|') : line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void The_full_CLI_has_every_command_of_the_native_client()
    {
        var full = SeraiCommand.Create().Subcommands.Select(c => c.Name).ToHashSet();
        Assert.All(Native.Subcommands, command => Assert.Contains(command.Name, full));
    }
}
