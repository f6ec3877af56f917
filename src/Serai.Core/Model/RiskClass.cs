namespace Serai.Core.Model;

/// <summary>Risk classes of the Kazakh AI law (No. 230-VII): minimal, medium, high.</summary>
public enum RiskClass
{
    Minimal = 0,
    Medium = 1,
    High = 2,
}

/// <summary>
/// An AI system in the registry: high-risk systems run only once approved. A class the owning tenant declared itself
/// (<see cref="ClassConfirmed"/> false) counts for nothing until the admin confirms it, so no system runs before then.
/// </summary>
public sealed record AiSystem(int Index, string Id, int OwnerTenant, RiskClass Risk, bool Approved, bool ClassConfirmed = true)
{
    public bool MayRun => ClassConfirmed && (Risk != RiskClass.High || Approved);
}
