using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Idempotency;

namespace Payments.Server.Hosting;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) says, for every route, who may call it and what
/// can go wrong: the Bearer scheme (JWT or API key), 401/403 where authorization applies, 429 where a
/// rate limit applies, and the Idempotency-Key header where it is honoured. Derived from the same
/// endpoint metadata that enforces those rules, so the document cannot drift from the behaviour.
/// </summary>
public static class OpenApiSetup
{
    public const string SchemeName = "bearer";

    /// <summary>
    /// <c>Verify.Request</c> → "VerifyRequest", <c>PageOf&lt;ListAudit.Entry&gt;</c> → "ListAuditEntryPage";
    /// null for anything else (the default naming).
    /// </summary>
    internal static string? SchemaName(Type type)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Features.Payments.PageOf<>))
            return (SchemaName(type.GetGenericArguments()[0]) ?? type.GetGenericArguments()[0].Name) + "Page";
        return type.IsNested && !type.IsGenericType ? type.DeclaringType!.Name + type.Name : null;
    }

    public static IServiceCollection AddPaymentsOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            // Each feature file names its records Request/Response; by default they all became one schema
            // "Request" (verify, refund and spend all pointed at create-intent's). Named by their feature instead.
            options.CreateSchemaReferenceId = type => SchemaName(type.Type) ?? OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            options.AddSchemaTransformer(OpenApiRules.Schema);
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Payments API";
                document.Info.Description = "One API for any payment provider. Amounts are integers in the currency's minor units.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A JWT signed by the host application (HS256 with JWT_SECRET_KEY; claims sub and role=user|admin), " +
                                  "or an API key created by an admin (role admin or service).",
                };
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer(OpenApiRules.Document);
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                operation.Responses ??= new OpenApiResponses();
                var authorize = metadata.OfType<IAuthorizeData>().ToList();
                if (authorize.Count > 0 && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] }];
                    Add(operation, "401", "Missing, expired or invalid credentials (problem details).");
                    var roles = authorize.Where(a => a.Policy == AuthSetup.AdminPolicy || a.Roles is not null).ToList();
                    Add(operation, "403", roles.Count > 0 ? "Admins only (problem details)." : "Not allowed (problem details).");
                    operation.Description = (operation.Description is null ? "" : operation.Description + " ") +
                                            (roles.Count > 0 ? "Auth: admin (JWT role=admin or admin API key)." : "Auth: required (JWT or API key).");
                }
                else if (!context.Description.RelativePath!.StartsWith("api/v1/payment/webhook", StringComparison.Ordinal))
                {
                    // Optional auth: guests may call; credentials, when sent, must be valid.
                    operation.Security = [new OpenApiSecurityRequirement(), new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] }];
                    Add(operation, "401", "Credentials were sent but are not valid (problem details).");
                    operation.Description = (operation.Description is null ? "" : operation.Description + " ") + "Auth: optional.";
                }
                else
                {
                    operation.Description = (operation.Description is null ? "" : operation.Description + " ") +
                                            "Auth: none; the provider's signature is verified.";
                }
                if (metadata.OfType<EnableRateLimitingAttribute>().Any())
                    Add(operation, "429", "Rate limited; see the Retry-After header (problem details).");
                if (metadata.OfType<IdempotentEndpoint>().Any())
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = IdempotencyMiddleware.Header, In = ParameterLocation.Header, Required = false,
                        Description = "Replays the first response for 24 h; the same key with another request is a 422.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
                    });
                    Add(operation, "400", "The Idempotency-Key is not 1 to 255 visible ASCII characters (problem details).");
                    Add(operation, "409", "A request with this Idempotency-Key is still being processed; retry later (problem details).");
                    Add(operation, "422", "Invalid request, or this Idempotency-Key was used with another request (problem details).");
                }
                return Task.CompletedTask;
            });
        });

    private static void Add(OpenApiOperation operation, string status, string description) =>
        OpenApiRules.AddProblem(operation, status, description);
}
