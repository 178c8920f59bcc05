namespace Payments.Providers.Tests.Support;

/// <summary>Finds ../shared/testdata (the project's outside oracles) from wherever tests run.</summary>
public static class TestData
{
    public static string PathOf(string fileName, string? overrideVariable = null)
    {
        if (overrideVariable is not null && Environment.GetEnvironmentVariable(overrideVariable) is { Length: > 0 } overridden)
            return overridden;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "testdata", fileName);
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        throw new FileNotFoundException(
            $"Test vector {fileName} not found in ../shared/testdata above {AppContext.BaseDirectory}" +
            (overrideVariable is null ? "." : $" and {overrideVariable} is not set."));
    }
}

/// <summary>A clock that says what the test tells it to.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}
