using System.Globalization;
using Serai.Server.Persistence;

namespace Serai.Server.Middleware;

/// <summary>
/// A request that fails because the database cannot take it now (see <see cref="StoreHealth.IsUnavailable"/>) is
/// answered 503 with Retry-After and a ProblemDetails saying nothing was changed, not 500; every other 503 gets a
/// Retry-After too, so that clients back off and come back by themselves.
/// </summary>
public static class StoreUnavailableAnswers
{
    public static IApplicationBuilder UseStoreUnavailableAnswers(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                if (context.Response.StatusCode == StatusCodes.Status503ServiceUnavailable && context.Response.Headers.RetryAfter.Count == 0)
                {
                    context.Response.Headers.RetryAfter = StoreHealth.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                }
                return Task.CompletedTask;
            });
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception e) when (StoreHealth.IsUnavailable(e) && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                var seconds = (e as StoreUnavailableException)?.RetryAfterSeconds ?? StoreHealth.RetryAfterSeconds;
                context.Response.Clear();
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var detail = e is StoreUnavailableException ? e.Message : "the database did not answer in time; nothing was changed, try again";
                await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "database unavailable", detail: detail)
                    .ExecuteAsync(context).ConfigureAwait(false);
            }
        });
}
