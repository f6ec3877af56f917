namespace Serai.Core.Model;

/// <summary>Priority classes, highest first in scheduling; the numeric value orders them.</summary>
public enum PriorityClass
{
    Preemptible = 0,
    Low = 1,
    Normal = 2,
    High = 3,
    Emergency = 4,
}

/// <summary>Parsing and masks for <see cref="PriorityClass"/>.</summary>
public static class PriorityClasses
{
    public static readonly PriorityClass[] All =
        [PriorityClass.Emergency, PriorityClass.High, PriorityClass.Normal, PriorityClass.Low, PriorityClass.Preemptible];

    public const int AllMask = 0b11111;

    public static string Name(this PriorityClass priority) => priority.ToString().ToLowerInvariant();

    public static int Bit(this PriorityClass priority) => 1 << (int)priority;

    public static bool TryParse(string? text, out PriorityClass priority)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                priority = candidate;
                return true;
            }
        }
        priority = PriorityClass.Normal;
        return false;
    }

    public static string Allowed => string.Join(", ", All.Select(p => p.Name()));
}
