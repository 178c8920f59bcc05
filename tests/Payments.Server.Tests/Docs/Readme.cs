using System.Text.RegularExpressions;

namespace Payments.Server.Tests.Docs;

/// <summary>A fenced code block of README.md: its language tag, its text and the section (## heading) it is in.</summary>
public sealed record CodeBlock(string Language, string Text, string Section);

/// <summary>The repository's README.md, read from the repository itself (not a copy), as code blocks.</summary>
public static partial class Readme
{
    public static string Path { get; } = Find();

    public static IReadOnlyList<CodeBlock> Blocks(string? text = null)
    {
        var blocks = new List<CodeBlock>();
        var section = "";
        string? language = null;
        var body = new List<string>();
        foreach (var line in (text ?? File.ReadAllText(Path)).ReplaceLineEndings("\n").Split('\n'))
        {
            if (language is null)
            {
                if (line.StartsWith("## ", StringComparison.Ordinal)) section = line[3..].Trim();
                else if (Fence().Match(line) is { Success: true } open) (language, body) = (open.Groups[1].Value, []);
            }
            else if (line.TrimEnd() == "```")
            {
                blocks.Add(new CodeBlock(language, string.Join('\n', body), section));
                language = null;
            }
            else body.Add(line);
        }
        if (language is not null) throw new InvalidOperationException("README.md ends inside a code block.");
        return blocks;
    }

    /// <summary>The folder above the test binaries that holds Payments.slnx and README.md.</summary>
    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Payments.slnx")) && File.Exists(System.IO.Path.Combine(dir.FullName, "README.md")))
                return System.IO.Path.Combine(dir.FullName, "README.md");
        throw new FileNotFoundException("No README.md beside a Payments.slnx above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^```(\S*)\s*$")]
    private static partial Regex Fence();
}
