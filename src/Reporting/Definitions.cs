using Markdig;

namespace GovernanceDashboard.Reporting;

/// <summary>docs/metrics.md as HTML, for the in-app definitions page the report links to; built into the assembly, so a
/// published app serves the same text as the repository.</summary>
public static class Definitions
{
    // Raw HTML in the markdown is shown as text: the page renders this as markup, so nothing in it may become a script.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseEmphasisExtras().UseAutoIdentifiers().DisableHtml().Build();

    private static readonly Lazy<string> Html = new(() =>
    {
        using var stream = typeof(Definitions).Assembly.GetManifestResourceStream("docs/metrics.md")
            ?? throw new InvalidOperationException("docs/metrics.md is not built into the assembly");
        using var reader = new StreamReader(stream);
        return Markdown.ToHtml(reader.ReadToEnd(), Pipeline);
    });

    public static string MetricsHtml => Html.Value;
}
