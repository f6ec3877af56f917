using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Serai.Server.Apis;

/// <summary>
/// Makes the served OpenAPI document one a client generator and a linter (Redocly's recommended rules) accept, for every
/// endpoint, including ones added later without thinking of it: the bearer-token scheme and which operations need it
/// (open ones say `security: []`), an operationId and a summary on every operation, the 401/403 an authenticated or
/// admin-only operation can answer, tag descriptions, and server URLs without a trailing slash.
/// </summary>
public static class OpenApiConventions
{
    public const string BearerScheme = "bearer";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Jobs"] = "Submit, list, change, hold, release, requeue and cancel jobs; read their logs. A tenant sees only its own jobs.",
        ["Sites"] = "Each site's state now: GPUs by model, IT power against its limit, outdoor temperature, PUE, carbon.",
        ["Tenants"] = "Tenants, their quotas and usage, and the tokens issued to them.",
        ["Tokens"] = "API tokens: create, list and revoke.",
        ["Datasets"] = "Datasets a tenant may use, with where their data may be processed.",
        ["AiSystems"] = "AI systems registered under the hub's AI rules, and their approval.",
        ["Accounting"] = "Energy, carbon and cost per tenant and month.",
        ["Audit"] = "Who did what and why: the audit trail.",
        ["Operations"] = "Health and Prometheus metrics, open to scrapers.",
        ["Admin"] = "Administration of the hub (admin tokens only).",
    };

    /// <summary>Adds the conventions to the document's generation.</summary>
    public static OpenApiOptions UseSeraiConventions(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddDocumentTransformer((document, _, _) =>
        {
            Describe(document);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var open = metadata.OfType<IAllowAnonymous>().Any();
            var adminOnly = metadata.OfType<IAuthorizeData>().Any(a => a.Policy == Auth.Caller.AdminPolicy);
            Complete(operation, context.Description.HttpMethod ?? "GET", context.Description.RelativePath ?? "", open, adminOnly);
            return Task.CompletedTask;
        });
        return options;
    }

    private static void Describe(OpenApiDocument document)
    {
        foreach (var server in document.Servers ?? [])
        {
            if (server.Url is { Length: > 1 } url && url.EndsWith('/'))
            {
                server.Url = url.TrimEnd('/');
            }
        }
        document.Info.Description ??= "Serai's REST API: the control plane of a regional AI compute hub. Every operation but health and metrics needs a bearer token (`Authorization: Bearer TOKEN`).";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API token from `serai serve`'s first start, `serai token create` or POST /api/v1/tokens.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            if (tag.Name is { } name && string.IsNullOrEmpty(tag.Description))
            {
                tag.Description = TagDescriptions.GetValueOrDefault(name, $"{name} operations.");
            }
        }
    }

    private static void Complete(OpenApiOperation operation, string method, string path, bool open, bool adminOnly)
    {
        operation.OperationId ??= OperationId(method, path);
        operation.Summary ??= $"{method.ToUpperInvariant()} /{path}";
        operation.Responses ??= [];
        if (open)
        {
            operation.Security = []; // written as `security: []`: no token needed
        }
        else
        {
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No token, or a token that is unknown, expired or revoked." });
            if (adminOnly)
            {
                operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The token is not an admin token." });
            }
        }
        if (!operation.Responses.Keys.Any(k => k.StartsWith('2')))
        {
            operation.Responses["200"] = new OpenApiResponse { Description = "OK" };
        }
        if (!operation.Responses.Keys.Any(k => k.StartsWith('4')) && (operation.Parameters is { Count: > 0 } || operation.RequestBody is not null))
        {
            // a parameter or body that does not bind is answered 400 with a ProblemDetails
            operation.Responses["400"] = new OpenApiResponse { Description = "The request is not one this operation takes." };
        }
    }

    /// <summary>An operationId for an endpoint that has no name: the method and the path's words, e.g. `getSitesNameSeries`.</summary>
    public static string OperationId(string method, string path)
    {
        var id = new StringBuilder(method.ToLowerInvariant());
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var word = segment.Trim('{', '}').Split(':')[0];
            if (word is "api" or "v1")
            {
                continue;
            }
            foreach (var part in word.Split('-', '_', '.'))
            {
                if (part.Length > 0)
                {
                    id.Append(char.ToUpper(part[0], CultureInfo.InvariantCulture)).Append(part.AsSpan(1));
                }
            }
        }
        return id.ToString();
    }
}
