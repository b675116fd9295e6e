using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace GovernanceDashboard.Tests.Infrastructure;

/// <summary>The one bUnit setup for MudBlazor components: its services, loose JS interop, an interactive server renderer.</summary>
public static class MudBunit
{
    /// <param name="services">the component's own services, added before anything is resolved</param>
    public static BunitContext NewContext(Action<IServiceCollection>? services = null)
    {
        var ctx = new BunitContext();
        services?.Invoke(ctx.Services);
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.SetRendererInfo(new RendererInfo("Server", true));
        return ctx;
    }
}
