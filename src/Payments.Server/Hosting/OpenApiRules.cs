using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Payments.Server.Hosting;

/// <summary>
/// Corrections the generated OpenAPI document needs to say what the service really does. Each one is
/// a rule about every operation or schema, not a list of names, so new routes follow it unasked
/// (tests/…/Api/OpenApiDocumentTests.cs and ApiContractTests.cs hold the document to them).
/// </summary>
internal static class OpenApiRules
{
    private const string ProblemSchema = "ProblemDetails";
    private const string ProblemJson = "application/problem+json";

    /// <summary>
    /// Integers are integers. The web JSON defaults also <em>read</em> numbers from strings, so the
    /// generator wrote every amount as <c>["integer","string"]</c> with a digits pattern; the service
    /// always writes numbers, and a client should send them. 64-bit amounts say <c>int64</c>.
    /// Our problem documents always carry <c>code</c> and <c>trace_id</c>, plus per-error members.
    /// </summary>
    public static Task Schema(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken _)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (schema.Type is { } kind && kind.HasFlag(JsonSchemaType.Integer))
        {
            schema.Type = kind & ~JsonSchemaType.String;
            schema.Pattern = null;
            schema.Format ??= type == typeof(long) ? "int64" : type == typeof(int) ? "int32" : null;
        }
        if (type == typeof(ProblemDetails) && context.JsonPropertyInfo is null)
        {
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "Stable, snake_case error code (also the last segment of 'type'), e.g. amount_mismatch.",
            };
            schema.Properties["trace_id"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Quote it when asking for help." };
            schema.Required = new HashSet<string> { "type", "title", "status", "code" };
            foreach (var name in schema.Required)
                if (schema.Properties[name] is OpenApiSchema member && member.Type is { } t) member.Type = t & ~JsonSchemaType.Null;
            // Errors add their own members (payment_id, retry_after_seconds, refundable, …).
            schema.AdditionalProperties = new OpenApiSchema();
            schema.Description = "RFC 9457 problem details; see docs/errors.md for the codes.";
        }
        return Task.CompletedTask;
    }

    /// <summary>Rules over the finished document: operation ids, request bodies, error responses.</summary>
    public static Task Document(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken _)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var (path, item) in document.Paths)
        foreach (var (method, operation) in item.Operations ?? [])
        {
            // A route's own name (WithName, PascalCase like a C# method) is written camelCase like the derived ids.
            operation.OperationId = operation.OperationId is { Length: > 0 } named
                ? char.ToLowerInvariant(named[0]) + named[1..]
                : OperationId(method.Method, path);
            operation.Responses ??= new OpenApiResponses();
            if (operation.RequestBody is OpenApiRequestBody body)
            {
                RequireBody(body, document);
                // The body may be missing or not valid JSON for this operation.
                AddProblem(operation, "400", "The body is missing or is not valid JSON for this operation (problem details).");
            }
            // RequestCharset answers before routing, for any request whose Content-Type names an unknown charset.
            AddProblem(operation, "415", "The request's Content-Type names a charset this service cannot read; send UTF-8 (problem details).");
            if (operation.Parameters?.Any(p => p.Schema?.Type is { } t && (t & ~JsonSchemaType.Null) != JsonSchemaType.String) == true)
                AddProblem(operation, "400", "A parameter is not of its type, e.g. page=abc (problem details).");
            // RequestCharset also refuses, before routing, any query string with a NUL character in it.
            AddProblem(operation, "400", "The query string holds a NUL character (problem details).");
            foreach (var (status, response) in operation.Responses)
                if (status[0] is '4' or '5' && response is OpenApiResponse { Content: null or { Count: 0 } } bare && status != "413")
                    bare.Content = ProblemContent(document);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// A route's own name when it has one (<c>WithName</c>), else its method and path:
    /// <c>POST /api/v1/payment/create-intent</c> → <c>postPaymentCreateIntent</c>,
    /// <c>GET /api/v1/payments/{id}</c> → <c>getPaymentsById</c>. Unique because routes are.
    /// </summary>
    internal static string OperationId(string method, string path)
    {
        var name = new StringBuilder(method.ToLowerInvariant());
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var start = segments is ["api", var version, ..] && version.StartsWith('v') ? 2 : 0;
        foreach (var segment in segments[start..])
        {
            var parameter = segment.StartsWith('{');
            if (parameter) name.Append("By");
            foreach (var word in segment.Trim('{', '}').Split('-', '_', '.'))
                if (word.Length > 0) name.Append(char.ToUpperInvariant(word[0])).Append(word[1..]);
        }
        return name.ToString();
    }

    /// <summary>
    /// Every JSON body is required: without one the service answers 400. Handlers take <c>Request?</c>
    /// only to say so in a sentence, which the generator wrote as <c>oneOf: [null, Request]</c>. And a
    /// property the request must carry is not nullable (null is refused like absence).
    /// </summary>
    private static void RequireBody(OpenApiRequestBody body, OpenApiDocument document)
    {
        body.Required = true;
        foreach (var media in body.Content?.Values ?? [])
        {
            if (media.Schema is OpenApiSchema { OneOf: { Count: 2 } options } && options.OfType<OpenApiSchemaReference>().SingleOrDefault() is { } only
                && options.Any(o => o is OpenApiSchema { Type: JsonSchemaType.Null }))
                media.Schema = only;
            if (media.Schema is OpenApiSchemaReference { Reference.Id: { } id }
                && document.Components!.Schemas!.TryGetValue(id, out var target) && target is OpenApiSchema request)
                foreach (var name in request.Required ?? new HashSet<string>())
                    if (request.Properties is { } properties && properties.TryGetValue(name, out var found) && found is OpenApiSchema property)
                        NotNull(property);
        }
    }

    private static void NotNull(OpenApiSchema property)
    {
        if (property.Type is { } type) property.Type = type & ~JsonSchemaType.Null;
        if (property.OneOf is { } options)
        {
            foreach (var nothing in options.Where(o => o is OpenApiSchema { Type: JsonSchemaType.Null }).ToList()) options.Remove(nothing);
            if (options.Count == 1 && property.Type is null)
            {
                property.AllOf = [options[0]];
                property.OneOf = null;
            }
        }
    }

    /// <summary>Declares an error response (as a problem document) unless the route already does.</summary>
    public static void AddProblem(OpenApiOperation operation, string status, string description)
    {
        operation.Responses ??= new OpenApiResponses();
        if (!operation.Responses.ContainsKey(status))
            operation.Responses[status] = new OpenApiResponse { Description = description };
    }

    private static Dictionary<string, OpenApiMediaType> ProblemContent(OpenApiDocument document)
    {
        if (!document.Components!.Schemas!.ContainsKey(ProblemSchema))
            throw new InvalidOperationException("No route declares a problem response, so the ProblemDetails schema is missing.");
        return new Dictionary<string, OpenApiMediaType>
        {
            [ProblemJson] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
        };
    }
}
