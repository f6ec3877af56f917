namespace Serai.Contracts;

/// <summary>Where `serai serve` listens, and so where the CLI looks, when nothing says otherwise.</summary>
public static class ServerAddress
{
    public const string Default = "http://127.0.0.1:8087";
}
