using Serai.Server;

var app = SeraiApp.Build(args);
app.Run();

/// <summary>Entry point of the standalone server (and the anchor for WebApplicationFactory in tests).</summary>
public partial class Program;
