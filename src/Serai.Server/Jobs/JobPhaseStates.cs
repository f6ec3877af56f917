using Serai.Contracts;
using Serai.Runtime.Lifecycle;

namespace Serai.Server.Jobs;

/// <summary>The API's and the database's word (<see cref="JobStates"/>) for a runtime phase; a rejected job is failed.</summary>
public static class JobPhaseStates
{
    public static string Of(JobPhase phase) => phase == JobPhase.Rejected ? JobStates.Failed : phase.Word();
}
