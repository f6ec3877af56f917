using Serai.Runtime;
using Serai.Runtime.Journal;
using Serai.Server.Control;

namespace Serai.Server.Operations;

/// <summary>
/// Work that must run on the control loop's thread, where the runtime is owned: an operator action, a feed reading, the
/// periodic look at overrides' end times and stale feeds. <see cref="Done"/> completes once it has run.
/// </summary>
public sealed record LoopAction(Action<HubRuntime> Work) : ControlEvent
{
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Runs the work; a journal failure goes to the loop, which posts the action again after a pause.</summary>
    public void Run(HubRuntime runtime)
    {
        try
        {
            Work(runtime);
            Done.TrySetResult();
        }
        catch (Exception e) when (e is not JournalException)
        {
            Done.TrySetException(e);
            throw;
        }
    }
}
