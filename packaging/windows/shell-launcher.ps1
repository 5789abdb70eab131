# Makes the Probierladen Kiosk the shell of an automatically signed-in kiosk account, with
# Shell Launcher v2 (Windows 10/11 Enterprise, Education or IoT Enterprise). Not tested here:
# the project has no Windows machine; see packaging/README.md ("Install on Windows").
#
# Run once as SYSTEM (the MDM WMI bridge refuses other accounts), then restart:
#   psexec.exe -i -s powershell.exe -ExecutionPolicy Bypass -File "C:\Program Files\Probierladen Kiosk\shell-launcher.ps1"
# Undo: the same with -Remove.
param([switch]$Remove)
$ErrorActionPreference = "Stop"

$app = Join-Path $env:ProgramFiles "Probierladen Kiosk"
$site = Join-Path $env:ProgramData "Probierladen Kiosk"
# kioskw.exe: the kiosk without a console window. Exit code 0 (staff quit) and any crash both
# restart the shell, so visitors never see a desktop.
$shell = "&quot;$app\kioskw.exe&quot; run --kiosk --config &quot;$site\site.toml&quot; --data-dir &quot;$site\data&quot;"

$configuration = @"
<?xml version="1.0" encoding="utf-8"?>
<ShellLauncherConfiguration
  xmlns="http://schemas.microsoft.com/ShellLauncher/2018/Configuration"
  xmlns:V2="http://schemas.microsoft.com/ShellLauncher/2019/Configuration">
  <Profiles>
    <DefaultProfile>
      <Shell Shell="%SystemRoot%\explorer.exe"/>
    </DefaultProfile>
    <Profile Id="{3B0C7E54-9B1D-4A53-8C76-2F1E6A0D5B19}">
      <Shell Shell="$shell" V2:AppType="Desktop" V2:AllAppsFullScreen="true">
        <DefaultAction Action="RestartShell"/>
      </Shell>
    </Profile>
  </Profiles>
  <Configs>
    <Config>
      <AutoLogonAccount/>
      <Profile Id="{3B0C7E54-9B1D-4A53-8C76-2F1E6A0D5B19}"/>
    </Config>
  </Configs>
</ShellLauncherConfiguration>
"@

# A config the kiosk cannot use must not become the shell: check it first, visibly.
if (-not $Remove) {
    & "$app\kiosk.exe" check --config "$site\site.toml" --data-dir "$site\data"
    if ($LASTEXITCODE -ne 0) {
        throw "The site config has problems (listed above): fix $site\site.toml, then run this again."
    }
}

$bridge = Get-CimInstance -Namespace "root\cimv2\mdm\dmmap" -ClassName "MDM_AssignedAccess"
if ($Remove) {
    $bridge.ShellLauncher = $null
} else {
    [xml]$configuration | Out-Null  # fails here, not at sign-in, if the XML is broken
    $bridge.ShellLauncher = [System.Net.WebUtility]::HtmlEncode($configuration)
}
Set-CimInstance -CimInstance $bridge | Out-Null
Write-Output "Shell Launcher configuration $(if ($Remove) { 'removed' } else { 'applied' }); restart Windows."
