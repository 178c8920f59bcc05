using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Api;

/// <summary>
/// The contract check every test client runs (<see cref="ApiContract"/>) must catch what it is there
/// for; otherwise "every suite passes" would say nothing about the document.
/// </summary>
public class ApiContractTests(SqliteAuthApp fixture) : IClassFixture<SqliteAuthApp>
{
    private const string Verify = "/api/v1/payment/verify";
    private const string Good = """{"payment_id":"pay_1","status":"succeeded","plan":"basic","amount":1999,"currency":"USD","refunded":0}""";

    private Task<ApiContract> Contract() => fixture.App.Contract();

    [Fact]
    public async Task A_response_that_matches_its_declared_schema_keeps_the_contract()
    {
        Assert.Empty((await Contract()).Check("POST", Verify, "application/json", """{"payment_id":"pay_1"}""", 200, "application/json", Good));
    }

    [Theory]
    [InlineData("""{"payment_id":"pay_1","status":"succeeded","plan":"basic","amount":"1999","currency":"USD","refunded":0}""", "amount as a string")]
    [InlineData("""{"payment_id":"pay_1","status":"succeeded","plan":"basic","amount":19.99,"currency":"USD","refunded":0}""", "amount as a fraction")]
    [InlineData("""{"payment_id":"pay_1","status":"succeeded","plan":"basic","currency":"USD","refunded":0}""", "amount missing")]
    [InlineData("""{"payment_id":"pay_1","status":"succeeded","plan":"basic","amount":1999,"currency":"USD","refunded":0,"secret":"x"}""", "an undeclared member")]
    [InlineData("""{"payment_id":null,"status":"succeeded","plan":"basic","amount":1999,"currency":"USD","refunded":0}""", "null where the schema says string")]
    public async Task A_response_that_breaks_its_declared_schema_is_a_violation(string body, string why)
    {
        var problems = (await Contract()).Check("POST", Verify, "application/json", """{"payment_id":"pay_1"}""", 200, "application/json", body);
        Assert.True(problems.Count == 1, $"{why}: {string.Join("\n", problems)}");
    }

    [Fact]
    public async Task An_undeclared_status_or_media_type_is_a_violation()
    {
        var contract = await Contract();
        Assert.Contains("not declared", Assert.Single(contract.Check("POST", Verify, null, null, 418, null, null)));
        Assert.Contains("does not declare", Assert.Single(contract.Check("GET", "/api/v1/payments/pay_1", null, null, 200, "application/problem+json", "{}")));
    }

    [Fact]
    public async Task An_accepted_request_without_a_required_member_is_a_violation()
    {
        var problems = (await Contract()).Check("POST", Verify, "application/json", """{"paymentid":"pay_1"}""", 200, "application/json", Good);
        Assert.Contains("request does not match", Assert.Single(problems));
    }

    [Fact]
    public async Task Problem_documents_are_checked_and_may_carry_their_own_members()
    {
        var contract = await Contract();
        const string problem = """{"type":"urn:payments:problem:not_found","title":"Not found","status":404,"detail":"x","instance":"/a","code":"not_found","trace_id":"t","payment_id":"pay_1"}""";
        Assert.Empty(contract.Check("POST", Verify, null, null, 404, "application/problem+json", problem));
        Assert.Single(contract.Check("POST", Verify, null, null, 404, "application/problem+json", """{"title":"Not found","status":404}"""));
    }

    [Fact]
    public async Task A_member_written_twice_is_a_violation()
    {
        // The 409 of a conflicting webhook once said "status": 409 and then "status": "conflicted".
        const string twice = """{"type":"urn:payments:problem:amount_mismatch","title":"Amount mismatch","status":409,"code":"amount_mismatch","status":"conflicted"}""";
        Assert.Contains("unique member names", Assert.Single((await Contract()).Check("POST", Verify, null, null, 409, "application/problem+json", twice)));
    }

    [Fact]
    public async Task Routes_outside_the_document_are_not_checked()
    {
        Assert.Empty((await Contract()).Check("GET", "/admin/payments", null, null, 302, "text/html", null));
    }
}
