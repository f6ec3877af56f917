using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Serai.Execution.Local;

/// <summary>An unprivileged account of this machine that a tenant's jobs run as.</summary>
public sealed record JobAccount(string Name, int Uid, int Gid);

/// <summary>
/// Finds the account each tenant's jobs run as: the one the hub maps the tenant to, else <c>serai-TENANT</c>, created
/// with useradd (a system account without a home or a login shell) when the options allow it. Never root.
/// </summary>
internal sealed class JobAccounts(LocalBackendOptions options)
{
    private static readonly Lock CreateGate = new();
    private readonly ConcurrentDictionary<string, JobAccount> _byTenant = new(StringComparer.Ordinal);

    /// <summary>The default account name of a tenant: <c>serai-</c> and the tenant in the characters useradd accepts.</summary>
    public static string DefaultName(string tenant)
    {
        var clean = new StringBuilder();
        foreach (var c in tenant.ToLowerInvariant())
        {
            clean.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-');
        }
        var name = "serai-" + clean;
        if (clean.ToString() != tenant || name.Length > 32)
        {
            // two tenants whose names clean up alike must not share an account
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tenant)))[..6];
            name = name[..Math.Min(name.Length, 25)] + "-" + hash;
        }
        return name;
    }

    public JobAccount Resolve(string tenant)
    {
        if (_byTenant.TryGetValue(tenant, out var known))
        {
            return known;
        }
        var mapped = options.AccountByTenant.TryGetValue(tenant, out var name);
        name ??= DefaultName(tenant);
        var account = Lookup(name);
        if (account is null && !mapped && options.CreateAccounts)
        {
            account = Create(name);
        }
        if (account is null)
        {
            throw new DispatchException(mapped
                ? $"tenant '{tenant}' runs as the account '{name}' (the hub's runAs), which does not exist on this machine; create it"
                : $"the account '{name}' for tenant '{tenant}' does not exist and creating accounts is off; create it (useradd --system {name}) or map the tenant with runAs");
        }
        if (account.Uid == 0 || account.Gid == 0)
        {
            throw new DispatchException($"tenant '{tenant}' would run as '{name}' (uid {account.Uid}, gid {account.Gid}); jobs never run as root or in the root group");
        }
        return _byTenant.GetOrAdd(tenant, account);
    }

    private static JobAccount? Lookup(string name)
    {
        var output = Run("getent", ["passwd", name]);
        var fields = output?.Trim().Split(':');
        return fields is { Length: >= 4 }
            && int.TryParse(fields[2], CultureInfo.InvariantCulture, out var uid)
            && int.TryParse(fields[3], CultureInfo.InvariantCulture, out var gid)
            ? new JobAccount(name, uid, gid) : null;
    }

    private static JobAccount? Create(string name)
    {
        lock (CreateGate)
        {
            // Another server on this machine (a parallel test run) may hold the passwd lock or create the same account.
            for (var attempt = 0; attempt < 20; attempt++)
            {
                if (Lookup(name) is { } existing)
                {
                    return existing;
                }
                Run("useradd", ["--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", "--user-group", name]);
                Thread.Sleep(50 * attempt);
            }
            return Lookup(name);
        }
    }

    private static string? Run(string tool, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }
            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
