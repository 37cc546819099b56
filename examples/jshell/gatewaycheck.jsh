// jshell startup for gateway-check:
//   mvn -B -q -DskipTests package
//   jshell --class-path examples/target/gateway-check.jar examples/jshell/gatewaycheck.jsh
// The backend defaults to http://127.0.0.1:8080; name yours with -R-Dgatewaycheck.backend=https://10.0.0.4:443
import dev.gatewaycheck.*;
import java.time.Duration;
import java.nio.file.Path;

// A check you can run again and vary: every call returns a new instance.
var base = GatewayCheck.forBackend(System.getProperty("gatewaycheck.backend", "http://127.0.0.1:8080"))
        .withHost("www.example.com");
System.out.println("Try: base.probe().run()   base.against(GatewayProfile.named(\"azure-v2\")).keepAlive().run()");
