; Inno Setup script of the Probierladen Kiosk for Windows terminals (not tested: no Windows here).
;
; Build on Windows, from the repository root, after `pyinstaller packaging\kiosk.spec`:
;   iscc packaging\windows\kiosk.iss
; gives dist\probierladen-kiosk-<version>-windows-x86_64-setup.exe. The version comes from the
; bundle's kiosk.exe, whose version resource packaging\kiosk.spec takes from kiosk.__version__.
;
; Installs the bundle to Program Files, the site config to
; %ProgramData%\Probierladen Kiosk\site.toml (the demo site without its staff PIN, only when there
; is none yet) and a data folder %ProgramData%\Probierladen Kiosk\data that only Administrators,
; SYSTEM and the local group "Probierladen Kiosk" (the kiosk account) may open: it holds
; visitors' names. Then it checks the site config in a visible window; a failed check is shown
; and ends the setup with exit code 1. The kiosk shell itself is set up with Shell Launcher v2:
; see shell-launcher.ps1 and packaging\README.md ("Install on Windows").

#define Bundle AddBackslash(SourcePath) + "..\..\dist\probierladen-kiosk"
#define AppVersion GetStringFileInfo(Bundle + "\kiosk.exe", "ProductVersion")
#if AppVersion == ""
  #error Build the bundle first: pyinstaller packaging\kiosk.spec
#endif

[Setup]
AppId={{6F0E2B7A-3C51-4E8B-9D0A-7B1F5C2E9A41}
AppName=Probierladen Kiosk
AppVersion={#AppVersion}
AppPublisher=Probierladen Kiosk contributors
DefaultDirName={autopf}\Probierladen Kiosk
DefaultGroupName=Probierladen Kiosk
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
LicenseFile=..\..\LICENSE
OutputDir=..\..\dist
OutputBaseFilename=probierladen-kiosk-{#AppVersion}-windows-x86_64-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\kiosk.exe
SetupLogging=yes
; Updates replace the program while the kiosk may be running as the shell.
CloseApplications=force

[Languages]
Name: "de"; MessagesFile: "compiler:Languages\German.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Dirs]
Name: "{commonappdata}\Probierladen Kiosk"
; Database, backups and log: the kiosk account writes here (its access list: [Run] below).
Name: "{commonappdata}\Probierladen Kiosk\data"

[Files]
; The whole one-folder bundle (kiosk.exe for the command line, kioskw.exe for the kiosk shell).
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\README.md"; DestDir: "{app}"; DestName: "ADMIN-GUIDE.md"; Flags: ignoreversion
Source: "shell-launcher.ps1"; DestDir: "{app}"; Flags: ignoreversion
; The site config starts as the demo site; an existing config is never overwritten or removed.
Source: "{#Bundle}\_internal\kiosk\demo_site.toml"; DestDir: "{commonappdata}\Probierladen Kiosk"; \
  DestName: "site.toml"; Flags: onlyifdoesntexist uninsneveruninstall; AfterInstall: RemoveDemoPin

[Icons]
Name: "{group}\Probierladen Kiosk"; Filename: "{app}\kioskw.exe"; \
  Parameters: "run --config ""{commonappdata}\Probierladen Kiosk\site.toml"" --data-dir ""{commonappdata}\Probierladen Kiosk\data"""
Name: "{group}\Site config"; Filename: "notepad.exe"; \
  Parameters: """{commonappdata}\Probierladen Kiosk\site.toml"""
Name: "{group}\Administrator guide"; Filename: "{app}\ADMIN-GUIDE.md"

[Run]
; The data folder holds visitors' names: not for every local user. A local group for the kiosk
; account (the administrator adds the account to it, see the guide), then the folder's access
; list replaced by Administrators (S-1-5-32-544), SYSTEM (S-1-5-18) and that group.
Filename: "{sys}\net.exe"; Parameters: "localgroup ""Probierladen Kiosk"" /add"; \
  StatusMsg: "Creating the group Probierladen Kiosk..."; Flags: runhidden waituntilterminated
Filename: "{sys}\icacls.exe"; \
  Parameters: """{commonappdata}\Probierladen Kiosk\data"" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F ""Probierladen Kiosk:(OI)(CI)M"""; \
  StatusMsg: "Protecting the data folder..."; Flags: runhidden waituntilterminated

[Code]
var
  ConfigCheckFailed: Boolean;

{ A config the kiosk cannot use must not reach the screen: `kiosk check` runs in a visible
  console window once the files are in place; its problems stay on screen until a key is
  pressed, and a failed check ends the setup with exit code 1 (shell-launcher.ps1 refuses to
  make the kiosk the shell until the check passes). }
procedure CheckSiteConfig();
var
  ResultCode: Integer;
  Site: String;
begin
  Site := ExpandConstant('{commonappdata}\Probierladen Kiosk');
  if not Exec(ExpandConstant('{cmd}'),
    '/c ""' + ExpandConstant('{app}\kiosk.exe') + '" check --config "' + Site + '\site.toml"' +
    ' --data-dir "' + Site + '\data" || (pause & exit /b 1)"',
    '', SW_SHOW, ewWaitUntilTerminated, ResultCode) or (ResultCode <> 0) then
  begin
    ConfigCheckFailed := True;
    MsgBox('The site config ' + Site + '\site.toml has problems (listed in the console ' +
      'window). The kiosk will not start until they are fixed: edit the file, run kiosk.exe ' +
      'check again (see the administrator guide), then run shell-launcher.ps1.',
      mbCriticalError, MB_OK);
  end;
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep = ssPostInstall then
    CheckSiteConfig();
end;

function GetCustomSetupExitCode(): Integer;
begin
  if ConfigCheckFailed then
    Result := 1
  else
    Result := 0;
end;

{ The demo site's staff PIN (2468) is public: a new terminal starts without one until
  `kiosk.exe set-pin` sets this terminal's own (see the administrator guide). }
procedure RemoveDemoPin();
var
  Path: String;
  Lines: TArrayOfString;
  I: Integer;
begin
  Path := ExpandConstant(CurrentFileName);
  if not LoadStringsFromFile(Path, Lines) then
    Exit;
  for I := 0 to GetArrayLength(Lines) - 1 do
  begin
    if Pos('pin_hash = ', Lines[I]) = 1 then
      Lines[I] := 'pin_hash = ""'
    else if Pos('# Demo PIN', Lines[I]) = 1 then
      Lines[I] := '# No PIN here: set it with kiosk.exe set-pin (see ADMIN-GUIDE.md).';
  end;
  SaveStringsToUTF8FileWithoutBOM(Path, Lines, False);
end;
