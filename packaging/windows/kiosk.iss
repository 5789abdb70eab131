; Inno Setup script of the Probierladen Kiosk for Windows terminals (not tested: no Windows here).
;
; Build on Windows, from the repository root, after `pyinstaller packaging\kiosk.spec`:
;   iscc packaging\windows\kiosk.iss
; gives dist\probierladen-kiosk-<version>-windows-x86_64-setup.exe. The version comes from the
; bundle's kiosk.exe, whose version resource packaging\kiosk.spec takes from kiosk.__version__.
;
; Installs the bundle to Program Files, the site config to
; %ProgramData%\Probierladen Kiosk\site.toml (the demo site without its staff PIN, only when there
; is none yet) and a data folder %ProgramData%\Probierladen Kiosk\data that the kiosk user may
; write. The kiosk shell itself is set up with Shell Launcher v2: see shell-launcher.ps1 and
; packaging\README.md ("Install on Windows").

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
; Database, backups and log: the kiosk account writes here.
Name: "{commonappdata}\Probierladen Kiosk\data"; Permissions: users-modify

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
; A config the kiosk cannot use must not reach the screen: `kiosk check` lists its problems.
Filename: "{app}\kiosk.exe"; \
  Parameters: "check --config ""{commonappdata}\Probierladen Kiosk\site.toml"" --data-dir ""{commonappdata}\Probierladen Kiosk\data"""; \
  StatusMsg: "Checking the site config..."; Flags: runhidden waituntilterminated

[Code]
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
