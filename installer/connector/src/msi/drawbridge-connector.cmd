@echo off
rem drawbridge-connector on Windows (installed by the MSI): register, set-server, run. Run it from an elevated
rem prompt: the identity goes where the DrawbridgeConnector service (LocalService) reads it. Optional settings:
rem connector.yaml beside this file (the service's too), in the install folder where only Administrators create files.
setlocal
set "BASE=%~dp0"
if not defined JAVA_HOME (
  echo error: the connector needs a Java 25 runtime: set JAVA_HOME to one. 1>&2
  exit /b 2
)
if not defined DRAWBRIDGE_CONNECTOR_STATE_DIR set "DRAWBRIDGE_CONNECTOR_STATE_DIR=%SystemRoot%\ServiceProfiles\LocalService\AppData\Local\Drawbridge\Connector"
"%JAVA_HOME%\bin\java.exe" --enable-native-access=ALL-UNNAMED -Dlogback.configurationFile="%BASE%logback.xml" -Ddrawbridge.config="%BASE%connector.yaml" -cp "%BASE%lib\*" dev.drawbridge.connector.cli.ConnectorCli %*
exit /b %ERRORLEVEL%
