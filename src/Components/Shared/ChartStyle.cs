using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.LayoutLib.YAxisLib;

namespace GovernanceDashboard.Components.Shared;

/// <summary>How every chart of the dashboard looks: no mode bar, legend below, transparent (follows light and dark
/// themes), tight margins; and the "count on the left, hours on the right" pair of axes the trend charts share.</summary>
public static class ChartStyle
{
    public static Config Config() => new() { Responsive = true, DisplayModeBar = Plotly.Blazor.ConfigLib.DisplayModeBarEnum.False };

    /// <param name="height">pixels</param>
    /// <param name="rightAxis">leave room for a second y axis on the right</param>
    public static Plotly.Blazor.Layout Layout(int height, bool rightAxis = false) => new()
    {
        Height = height,
        Margin = new Margin { T = 10, B = 40, L = 40, R = rightAxis ? 50 : 10 },
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H }],
        PaperBgColor = "rgba(0,0,0,0)",
        PlotBgColor = "rgba(0,0,0,0)",
        // A mid grey reads on the light and the dark theme alike (Plotly's default near-black vanishes on dark).
        Font = new Plotly.Blazor.LayoutLib.Font { Color = "#8a8f98" },
        XAxis = [new XAxis { GridColor = GridColor }],
        YAxis = [new YAxis { GridColor = GridColor }],
    };

    /// <summary>Grid lines faint enough for either theme.</summary>
    public const string GridColor = "rgba(128,128,128,0.25)";

    /// <summary>The name of the cascading value (from the main layout) that says whether the dark theme is on.</summary>
    public const string DarkMode = "DarkMode";

    /// <summary>Text and grid for the theme in use: light text and a faint light grid on dark, dark text and a faint dark grid
    /// on light (Plotly's own defaults are near-black text and white grid lines, unreadable on the dark theme).</summary>
    public static Plotly.Blazor.Layout Themed(this Plotly.Blazor.Layout layout, bool dark)
    {
        var text = dark ? "#d7dae0" : "#3c4048";
        var grid = dark ? "rgba(255,255,255,0.10)" : "rgba(0,0,0,0.08)";
        layout.Font = new Plotly.Blazor.LayoutLib.Font { Color = text };
        foreach (var x in layout.XAxis ?? []) { x.GridColor = grid; x.LineColor = grid; x.ZeroLineColor = grid; }
        foreach (var y in layout.YAxis ?? []) { y.GridColor = grid; y.LineColor = grid; y.ZeroLineColor = grid; }
        return layout;
    }

    /// <summary>A left axis titled <paramref name="left"/> and a right one for durations in <paramref name="unit"/> (hours or
    /// days, from <see cref="Format.DurationScale"/>; traces on it use YAxis = "y2").</summary>
    public static IList<YAxis> LeftAndHours(string left, IList<object>? leftRange = null, string unit = "hours") =>
    [
        new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = left }, Range = leftRange, GridColor = GridColor },
        new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = unit }, Overlaying = "y", Side = SideEnum.Right, ShowGrid = false },
    ];
}
