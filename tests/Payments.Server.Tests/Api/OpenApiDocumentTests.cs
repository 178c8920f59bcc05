using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Api;

/// <summary>
/// The document at /openapi/v1.json as a whole: it reads and validates as OpenAPI, and holds the rules
/// a generated client depends on. (Real exchanges are held to it by <see cref="ApiContract"/>.)
/// </summary>
public class OpenApiDocumentTests(SqliteAuthApp fixture) : IClassFixture<SqliteAuthApp>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    private async Task<string> Text()
    {
        using var client = fixture.App.Client();
        return await client.GetStringAsync("/openapi/v1.json");
    }

    private async Task<JsonElement> Document() => JsonDocument.Parse(await Text()).RootElement.Clone();

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(m => Methods.Contains(m.Name)).Select(m => (p.Name, m.Name, m.Value)));

    [Fact]
    public async Task The_document_reads_and_validates_as_OpenAPI_without_errors_or_warnings()
    {
        var settings = new OpenApiReaderSettings();
        var read = OpenApiDocument.Parse(await Text(), OpenApiConstants.Json, settings);
        Assert.Empty(read.Diagnostic!.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Empty(read.Diagnostic.Warnings.Select(e => $"{e.Pointer}: {e.Message}"));
        var errors = read.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet())!;
        Assert.Empty(errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic.SpecificationVersion);
    }

    [Fact]
    public async Task Every_reference_resolves_to_a_schema_in_the_document()
    {
        var document = await Document();
        var references = new List<string>();
        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Object)
                foreach (var p in e.EnumerateObject())
                    if (p.Name == "$ref") references.Add(p.Value.GetString()!);
                    else Walk(p.Value);
            else if (e.ValueKind == JsonValueKind.Array)
                foreach (var item in e.EnumerateArray()) Walk(item);
        }
        Walk(document);
        Assert.NotEmpty(references);
        foreach (var reference in references.Distinct())
        {
            Assert.StartsWith("#/", reference);
            var target = document;
            foreach (var part in reference[2..].Split('/'))
                Assert.True(target.TryGetProperty(part.Replace("~1", "/").Replace("~0", "~"), out target), $"{reference} does not resolve");
        }
    }

    [Fact]
    public async Task Every_operation_has_a_unique_operation_id_a_summary_and_responses()
    {
        var operations = Operations(await Document()).ToList();
        Assert.True(operations.Count >= 30, $"only {operations.Count} operations");
        foreach (var (path, method, operation) in operations)
        {
            Assert.True(operation.TryGetProperty("operationId", out var id) && Regex.IsMatch(id.GetString()!, "^[a-z][A-Za-z0-9]+$"),
                $"{method} {path} has no operationId of letters and digits");
            Assert.True(operation.TryGetProperty("summary", out _), $"{method} {path} has no summary");
            Assert.True(operation.GetProperty("responses").EnumerateObject().Any(r => r.Name.StartsWith('2')), $"{method} {path} declares no success");
        }
        var ids = operations.Select(o => o.Operation.GetProperty("operationId").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains("postPaymentCreateIntent", ids);
        Assert.Contains("getPaymentsById", ids);
    }

    [Fact]
    public async Task Schema_names_are_unique_per_type_and_name_their_feature()
    {
        var names = (await Document()).GetProperty("components").GetProperty("schemas").EnumerateObject().Select(s => s.Name).ToList();
        // The generator de-duplicates two types with one name by a number suffix; a bare Request/Response
        // or a PageOfOf… name means nested records collapsed or a generic was named by default.
        Assert.DoesNotContain(names, n => Regex.IsMatch(n, @"\d$") || n is "Request" or "Response" || n.Contains("PageOf", StringComparison.Ordinal));
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public async Task Integers_are_integers_and_amounts_are_int64()
    {
        var schemas = (await Document()).GetProperty("components").GetProperty("schemas");
        var amounts = 0;
        foreach (var schema in schemas.EnumerateObject())
        foreach (var property in schema.Value.TryGetProperty("properties", out var p) ? p.EnumerateObject() : Enumerable.Empty<JsonProperty>())
        {
            var types = Types(property.Value);
            if (types.Contains("integer"))
            {
                Assert.False(types.Contains("string"), $"{schema.Name}.{property.Name} may be a string");
                Assert.False(property.Value.TryGetProperty("pattern", out _), $"{schema.Name}.{property.Name} has a digits pattern");
            }
            if (property.Name is "amount" or "refunded" or "balance" or "credits" or "amount_per_credit")
            {
                amounts++;
                Assert.True(types.SetEquals(["integer"]) || types.SetEquals(["integer", "null"]), $"{schema.Name}.{property.Name} is {string.Join("|", types)}");
                Assert.Equal("int64", property.Value.GetProperty("format").GetString());
            }
        }
        Assert.True(amounts >= 10);
    }

    [Fact]
    public async Task Request_bodies_are_required_and_what_they_require_cannot_be_null()
    {
        var document = await Document();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var bodies = 0;
        foreach (var (path, method, operation) in Operations(document))
        {
            if (!operation.TryGetProperty("requestBody", out var body)) continue;
            bodies++;
            Assert.True(body.GetProperty("required").GetBoolean(), $"{method} {path}: body not required");
            var reference = body.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
            var schema = schemas.GetProperty(reference.Split('/')[^1]);
            foreach (var name in schema.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!) : [])
                Assert.False(Types(schema.GetProperty("properties").GetProperty(name)).Contains("null"), $"{reference}.{name} is required but nullable");
        }
        Assert.True(bodies >= 7);
        string[] Required(string name) => schemas.GetProperty(name).TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!).ToArray() : [];
        Assert.Equal(["payment_id"], Required("VerifyRequest"));
        Assert.Equal(["payment_id"], Required("RefundPaymentRequest")); // amount omitted = everything still refundable
        Assert.Empty(Required("CreateIntentRequest").Intersect(["plan", "provider", "mode"])); // credits may stand for a plan; provider has a default
    }

    [Fact]
    public async Task Error_responses_are_problem_documents_and_declared_where_they_happen()
    {
        var document = await Document();
        foreach (var (path, method, operation) in Operations(document))
        {
            var responses = operation.GetProperty("responses");
            foreach (var response in responses.EnumerateObject().Where(r => r.Name[0] is '4'))
                Assert.True(response.Value.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out var media)
                            && media.GetProperty("schema").GetProperty("$ref").GetString() == "#/components/schemas/ProblemDetails",
                    $"{method} {path}: {response.Name} is not a problem document");
            // 5xx too, except where the route answers its own body (readiness says what is down).
            foreach (var response in responses.EnumerateObject().Where(r => r.Name[0] is '5'))
                Assert.True(response.Value.TryGetProperty("content", out var content) && content.EnumerateObject().Any(), $"{method} {path}: {response.Name} has no body");
            if (operation.TryGetProperty("requestBody", out _))
                Assert.True(responses.TryGetProperty("400", out _), $"{method} {path}: a body that is not JSON is a 400");
            if (operation.TryGetProperty("security", out _))
                Assert.True(responses.TryGetProperty("401", out _), $"{method} {path}: credentials can be refused");
        }
        var problem = document.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails");
        Assert.Equal(["type", "title", "status", "code"], problem.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.True(problem.GetProperty("properties").TryGetProperty("trace_id", out _));
    }

    private static HashSet<string> Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToHashSet()
        : [type.GetString()!];
}
