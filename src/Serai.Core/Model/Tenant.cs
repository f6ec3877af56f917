namespace Serai.Core.Model;

/// <summary>
/// A tenant: guaranteed GPUs per accelerator model (index = accelerator index), how many GPUs it may
/// borrow beyond its guarantees, its fair-share weight, the countries where its data may be processed
/// and the priority classes it may use.
/// </summary>
public sealed record Tenant(
    int Index,
    string Name,
    int[] GuaranteedGpus,
    int BorrowLimitGpus,
    double FairShareWeight,
    ulong AllowedCountriesMask,
    int AllowedClassesMask)
{
    public bool MayUse(PriorityClass priority) => (AllowedClassesMask & priority.Bit()) != 0;

    public int TotalGuaranteedGpus => GuaranteedGpus.Sum();
}
