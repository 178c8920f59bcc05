using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Api;

public class OpenApiTests(SqliteAuthApp fixture) : IClassFixture<SqliteAuthApp>
{
    private async Task<JsonElement> Document()
    {
        using var client = fixture.App.Client();
        return await (await client.GetAsync("/openapi/v1.json")).Body();
    }

    [Fact]
    public async Task Each_operation_has_its_own_named_request_schema_with_its_own_fields()
    {
        var document = await Document();
        string RequestSchema(string path)
        {
            var schema = document.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody").GetProperty("content")
                .GetProperty("application/json").GetProperty("schema");
            // An optional body is "oneOf": [null, the schema].
            var reference = schema.TryGetProperty("$ref", out var direct) ? direct
                : schema.GetProperty("oneOf").EnumerateArray().Single(s => s.TryGetProperty("$ref", out _)).GetProperty("$ref");
            return reference.GetString()!.Split('/')[^1];
        }
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var verify = RequestSchema("/api/v1/payment/verify");
        var refund = RequestSchema("/api/v1/payment/refund");
        var create = RequestSchema("/api/v1/payment/create-intent");

        Assert.Equal(3, new[] { verify, refund, create }.Distinct().Count());
        Assert.True(schemas.GetProperty(verify).GetProperty("properties").TryGetProperty("payment_id", out _), $"{verify} has no payment_id");
        Assert.True(schemas.GetProperty(refund).GetProperty("properties").TryGetProperty("amount", out _), $"{refund} has no amount");
        Assert.DoesNotContain(schemas.EnumerateObject(), s => s.Name.Contains("PageOfOf", StringComparison.Ordinal) || s.Name == "Request" || s.Name == "Response");
    }

    [Fact]
    public async Task Every_api_route_is_described()
    {
        var paths = (await Document()).GetProperty("paths");
        var routes = fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription != true)
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/openapi", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (Path: "/" + e.RoutePattern.RawText!.Trim('/'), Method: m.ToLowerInvariant())))
            .ToList();
        Assert.True(routes.Count >= 10);
        foreach (var (path, method) in routes)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is missing from the document");
            Assert.True(item.TryGetProperty(method, out _), $"{method} {path} is missing from the document");
        }
    }

    [Theory]
    [InlineData("/api/v1/payment/refund", "post", true, "403")]
    [InlineData("/api/v1/audit", "get", true, "403")]
    [InlineData("/api/v1/payments", "get", true, "401")]
    [InlineData("/api/v1/payment/create-intent", "post", false, "429")]
    [InlineData("/api/v1/payment/verify", "post", false, "429")]
    [InlineData("/api/v1/payment/webhook/{provider}", "post", false, "409")]
    [InlineData("/api/v1/credits/spend", "post", true, "409")]
    [InlineData("/api/v1/credits/balance", "get", true, "403")]
    [InlineData("/api/v1/credits/history", "get", true, "422")]
    [InlineData("/api/v1/credits/referral", "put", true, "409")]
    [InlineData("/api/v1/credits/packages", "get", false, "401")]
    public async Task Routes_state_their_auth_and_errors(string path, string method, bool requiresAuth, string errorStatus)
    {
        var operation = (await Document()).GetProperty("paths").GetProperty(path).GetProperty(method);
        var responses = operation.GetProperty("responses");
        Assert.True(responses.TryGetProperty(errorStatus, out _), $"{method} {path} does not document {errorStatus}");
        if (requiresAuth)
        {
            var security = operation.GetProperty("security");
            Assert.Equal(1, security.GetArrayLength());
            Assert.True(security[0].TryGetProperty("bearer", out _));
            Assert.True(responses.TryGetProperty("401", out _));
        }
        Assert.Contains("Auth:", operation.GetProperty("description").GetString());
    }

    [Fact]
    public async Task The_bearer_scheme_and_the_idempotency_header_are_described()
    {
        var document = await Document();
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        var parameters = document.GetProperty("paths").GetProperty("/api/v1/payment/create-intent").GetProperty("post").GetProperty("parameters");
        Assert.Contains(parameters.EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key");
    }
}
