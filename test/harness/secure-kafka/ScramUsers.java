// Creates or updates SCRAM credentials through Kafka's Admin API (alterUserScramCredentials).
// Usage: java -cp '<kafka lib>/*' ScramUsers.java <admin client properties file>
// One credential per stdin line: MECHANISM<TAB>USER<TAB>PASSWORD (MECHANISM = SCRAM-SHA-256 or
// SCRAM-SHA-512). Passwords come on stdin so they never appear on a command line.
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

public class ScramUsers {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    try (FileInputStream in = new FileInputStream(args[0])) {
      props.load(in);
    }
    List<UserScramCredentialAlteration> alterations = new ArrayList<>();
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
      if (line.isEmpty()) continue;
      String[] f = line.split("\t", 3);
      if (f.length != 3) throw new IllegalArgumentException("expected MECHANISM<TAB>USER<TAB>PASSWORD");
      ScramMechanism mechanism = ScramMechanism.fromMechanismName(f[0]);
      if (mechanism == ScramMechanism.UNKNOWN) throw new IllegalArgumentException("unknown SCRAM mechanism " + f[0]);
      alterations.add(new UserScramCredentialUpsertion(f[1], new ScramCredentialInfo(mechanism, 4096), f[2]));
    }
    // The broker takes one alteration per user per request: one request per round.
    try (Admin admin = Admin.create(props)) {
      List<UserScramCredentialAlteration> pending = alterations;
      while (!pending.isEmpty()) {
        List<UserScramCredentialAlteration> round = new ArrayList<>();
        List<UserScramCredentialAlteration> later = new ArrayList<>();
        Set<String> users = new HashSet<>();
        for (UserScramCredentialAlteration a : pending) (users.add(a.user()) ? round : later).add(a);
        admin.alterUserScramCredentials(round).all().get();
        pending = later;
      }
    }
    System.out.println("SCRAM credentials set: " + alterations.size());
  }
}
