extern alias JsonSchemaNet;
using System.Net;
using System.Text;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using JsonSchemaNet::Json.Schema;

namespace Payments.Server.Tests.Support;

/// <summary>
/// The service's OpenAPI document as a contract that real exchanges are held to. Every client a test
/// gets from <see cref="PaymentsApp.Client"/> passes its requests through <see cref="ContractCheck"/>,
/// so each operation some suite exercises is checked against the declared schemas on every call:
/// <list type="bullet">
/// <item>the status must be declared for the operation (500 aside: never promised, always a bug of its own);</item>
/// <item>a JSON response must match the declared schema of its status and media type, with no member the
/// schema does not declare (unless it allows extra members, like problem details);</item>
/// <item>an accepted (2xx) JSON request must match the request body's schema (required members present,
/// types right; members the schema does not know are ignored, as the service ignores them).</item>
/// </list>
/// Schemas are JSON Schema 2020-12 (OpenAPI 3.1's dialect), evaluated by JsonSchema.Net.
/// </summary>
public sealed class ApiContract
{
    private readonly JsonObject _document;
    private readonly JsonObject _definitions;
    private readonly List<(string Template, string[] Segments, JsonObject Item)> _paths;
    private readonly ConcurrentDictionary<string, JsonSchema> _compiled = new();

    public ApiContract(string documentJson)
    {
        _document = JsonNode.Parse(documentJson)!.AsObject();
        var schemas = _document["components"]?["schemas"]?.AsObject() ?? new JsonObject();
        _definitions = new JsonObject();
        foreach (var (name, schema) in schemas) _definitions[name] = Strict(Rewrite(schema!.DeepClone()));
        _paths = _document["paths"]!.AsObject()
            .Select(p => (p.Key, p.Key.Split('/', StringSplitOptions.RemoveEmptyEntries), p.Value!.AsObject())).ToList();
    }

    /// <summary>The operation a request is for (method and path template), or null when the document has none.</summary>
    public (string Template, JsonObject Operation)? Find(string method, string path)
    {
        var segments = path.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var best = _paths
            .Where(p => p.Segments.Length == segments.Length
                        && p.Segments.Zip(segments).All(s => s.First.StartsWith('{') || string.Equals(s.First, s.Second, StringComparison.OrdinalIgnoreCase)))
            .OrderByDescending(p => p.Segments.Count(s => !s.StartsWith('{')))
            .FirstOrDefault();
        return best.Item?[method.ToLowerInvariant()] is JsonObject operation ? (best.Template, operation) : null;
    }

    /// <summary>What is wrong with one exchange; empty when it keeps the contract.</summary>
    public IReadOnlyList<string> Check(string method, string path, string? requestType, string? requestBody,
        int status, string? responseType, string? responseBody)
    {
        if (Find(method, path) is not var (template, operation)) return [];
        var where = $"{method} {template} → {status}";
        var problems = new List<string>();
        if (status != 500)
        {
            var responses = operation["responses"]!.AsObject();
            if (responses[status.ToString()] is not JsonObject response)
                problems.Add($"{where}: status {status} is not declared (declared: {string.Join(", ", responses.Select(r => r.Key))})");
            else if (IsJson(responseType) && !string.IsNullOrEmpty(responseBody))
            {
                if (Declared(response, responseType!) is not { } schema)
                    problems.Add($"{where}: answered {responseType}, which the document does not declare for this status");
                else
                    problems.AddRange(Evaluate(schema, responseBody, $"{where} response"));
            }
        }
        if (status is >= 200 and < 300 && IsJson(requestType) && !string.IsNullOrEmpty(requestBody)
            && operation["requestBody"]?["content"]?.AsObject() is { } content
            && content.FirstOrDefault(c => c.Key.StartsWith("application/json", StringComparison.Ordinal)).Value?["schema"] is { } requestSchema)
            problems.AddRange(Evaluate(requestSchema, requestBody, $"{where} request", strict: false));
        return problems;
    }

    private static bool IsJson(string? mediaType) =>
        mediaType is not null && (mediaType.StartsWith("application/json", StringComparison.Ordinal) || mediaType.StartsWith("application/problem+json", StringComparison.Ordinal));

    private static JsonNode? Declared(JsonObject response, string mediaType) =>
        response["content"]?.AsObject().FirstOrDefault(c => mediaType.StartsWith(c.Key, StringComparison.Ordinal)).Value?["schema"];

    private IReadOnlyList<string> Evaluate(JsonNode schema, string body, string what, bool strict = true)
    {
        var compiled = _compiled.GetOrAdd((strict ? "strict:" : "loose:") + schema.ToJsonString(), _ => Compile(schema, strict));
        JsonDocument instance;
        try
        {
            // A member twice (say "status": 409 and "status": "conflicted") is read differently by each parser.
            instance = JsonDocument.Parse(body, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            return [$"{what} is not well-formed JSON with unique member names: {e.Message}\n  body: {Shorten(body)}"];
        }
        using var _ = instance;
        var result = compiled.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return [];
        var details = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}")).Distinct().Take(8);
        return [$"{what} does not match {schema.ToJsonString()}: {string.Join("; ", details)}\n  body: {Shorten(body)}"];
    }

    private JsonSchema Compile(JsonNode schema, bool strict)
    {
        var root = Rewrite(schema.DeepClone()).AsObject();
        var definitions = _definitions.DeepClone().AsObject();
        if (!strict)
            foreach (var (_, definition) in definitions) Loosen(definition!);
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = definitions;
        return JsonSchema.FromText(root.ToJsonString());
    }

    /// <summary>OpenAPI's component references become JSON Schema's local definitions.</summary>
    private static JsonNode Rewrite(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (key == "$ref" && value!.GetValue<string>() is var target && target.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                        o[key] = "#/$defs/" + target["#/components/schemas/".Length..];
                    else if (value is not null) Rewrite(value);
                }
                break;
            case JsonArray a:
                foreach (var item in a) if (item is not null) Rewrite(item);
                break;
        }
        return node;
    }

    /// <summary>Responses may carry only what their schema declares: objects with properties get
    /// <c>additionalProperties: false</c> unless they say otherwise.</summary>
    private static JsonNode Strict(JsonNode node)
    {
        if (node is JsonObject o)
        {
            if (o["properties"] is JsonObject && !o.ContainsKey("additionalProperties")) o["additionalProperties"] = false;
            foreach (var (_, value) in o.ToList()) if (value is not null) Strict(value);
        }
        else if (node is JsonArray a)
            foreach (var item in a) if (item is not null) Strict(item);
        return node;
    }

    private static void Loosen(JsonNode node)
    {
        if (node is JsonObject o)
        {
            if (o["additionalProperties"] is JsonValue v && v.GetValueKind() == JsonValueKind.False) o.Remove("additionalProperties");
            foreach (var (_, value) in o.ToList()) if (value is not null) Loosen(value);
        }
        else if (node is JsonArray a)
            foreach (var item in a) if (item is not null) Loosen(item);
    }

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "…";
}

/// <summary>Holds every exchange of a test's client to <see cref="ApiContract"/>; a broken contract fails the call.</summary>
public sealed class ContractCheck(Func<Task<ApiContract>> contract, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        // Bytes, decoded here: a hostile charset in the request's Content-Type is the service's to refuse (415),
        // not a reason for the check itself to throw.
        var requestBody = request.Content is null ? null : Encoding.UTF8.GetString(await request.Content.ReadAsByteArrayAsync(ct));
        var requestType = request.Content?.Headers.ContentType?.MediaType;
        var response = await base.SendAsync(request, ct);
        // Kestrel refuses some requests before any middleware (a NUL in the decoded path): 400, no body, connection
        // closed. No route ran, so no operation's contract applies.
        if (response.StatusCode == HttpStatusCode.BadRequest && response.Content.Headers.ContentLength == 0 && response.Headers.ConnectionClose == true)
            return response;
        if (response.Content.Headers.ContentType?.MediaType is { } mediaType && mediaType.Contains("json", StringComparison.Ordinal))
            await response.Content.LoadIntoBufferAsync(ct);
        var responseBody = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
            ? await response.Content.ReadAsStringAsync(ct)
            : null;
        var problems = (await contract()).Check(request.Method.Method, request.RequestUri!.AbsolutePath, requestType, requestBody,
            (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, responseBody);
        if (problems.Count > 0)
            throw new ContractViolation("The exchange breaks the OpenAPI document (/openapi/v1.json):\n" + string.Join("\n", problems));
        return response;
    }
}

public sealed class ContractViolation(string message) : Exception(message);
