using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace GovernanceDashboard.Tests.Infrastructure;

/// <summary>The one bUnit setup for MudBlazor components: its services, loose JS interop, an interactive server renderer.</summary>
public static class MudBunit
{
    public static BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.SetRendererInfo(new RendererInfo("Server", true));
        return ctx;
    }
}
