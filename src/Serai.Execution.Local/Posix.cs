using System.Runtime.InteropServices;

namespace Serai.Execution.Local;

/// <summary>The few POSIX calls .NET has no API for: owner changes and the effective user.</summary>
internal static partial class Posix
{
    [DllImport("libc", EntryPoint = "lchown", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern int LChown(string path, int owner, int group);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEuid();

    /// <summary>The effective user id of this process (0 for root).</summary>
    public static int EffectiveUserId => (int)GetEuid();

    /// <summary>Gives a path (never the target of a link) to an owner and group; throws <see cref="IOException"/> when refused.</summary>
    public static void Chown(string path, int uid, int gid)
    {
        if (LChown(path, uid, gid) != 0)
        {
            throw new IOException($"chown {uid}:{gid} {path} failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    /// <summary>Owner-only access: 0700 for a directory, 0600 for a file.</summary>
    public static void OwnerOnly(string path, bool directory) =>
        SetMode(path, directory ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : UnixFileMode.UserRead | UnixFileMode.UserWrite);

    /// <summary>chmod (a no-op on Windows, where this backend does not run).</summary>
    public static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    /// <summary>fchmod of an open file.</summary>
    public static void SetMode(Microsoft.Win32.SafeHandles.SafeFileHandle file, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, mode);
        }
    }
}
