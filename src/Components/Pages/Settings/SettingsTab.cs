using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Severity = MudBlazor.Severity;

namespace GovernanceDashboard.Components.Pages.Settings;

/// <summary>A Settings tab that edits some of the settings: its fields edit <see cref="Draft"/>, and Save stores what changed
/// (audited, one event per setting) without touching the settings other tabs edit.</summary>
public abstract class SettingsTab : ComponentBase
{
    [Inject] protected SettingsStore Store { get; set; } = default!;
    [Inject] protected ISnackbar Snackbar { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    private GovernanceSettings? _loaded;

    /// <summary>The settings as this tab edits them; null until loaded.</summary>
    protected GovernanceSettings? Draft { get; private set; }

    protected override async Task OnInitializedAsync() => Draft = _loaded = await Store.LoadAsync();

    /// <summary>Changes the draft, e.g. <c>Edit(s => s with { SlaHighHours = v })</c>.</summary>
    protected void Edit(Func<GovernanceSettings, GovernanceSettings> change) => Draft = change(Draft!);

    /// <summary>Why the draft cannot be saved, or null; shown instead of saving.</summary>
    protected virtual Task<string?> ValidateAsync(GovernanceSettings draft) => Task.FromResult<string?>(null);

    protected async Task SaveAsync(string saved)
    {
        if (await ValidateAsync(Draft!) is { } refusal)
        {
            Snackbar.Add(refusal, Severity.Error);
            return;
        }
        var actor = (await AuthState).User.EmailOf();
        Draft = _loaded = await Store.SaveAsync(_loaded!, Draft!, actor);
        Snackbar.Add(saved, Severity.Success);
    }
}
