namespace GovernanceDashboard.Auth;

/// <summary>Which sign-in modes this instance offers, decided once at start.</summary>
public sealed class SignInModes
{
    public required bool EntraId { get; init; }
    public required bool Local { get; init; }

    /// <summary>Local sign-in is on by default in Development only; elsewhere <c>LocalSignIn:Enabled=true</c> must say so.</summary>
    public static SignInModes From(IConfiguration configuration, IHostEnvironment environment) => new()
    {
        EntraId = !string.IsNullOrWhiteSpace(configuration["AzureAd:ClientId"]),
        Local = configuration.GetValue<bool?>("LocalSignIn:Enabled") ?? environment.IsDevelopment(),
    };
}
