package io.greenbridge.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/** The local PostgreSQL (127.0.0.1:5432, trust auth) that CI starts; tests create a throwaway database in it. */
public final class PostgresAvailable {
    static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    static final String USER = System.getenv().getOrDefault("PGUSER", "postgres");

    private PostgresAvailable() {
    }

    /** The role tests connect as. */
    public static String user() {
        return USER;
    }

    public static boolean reachable() {
        try (Connection c = DriverManager.getConnection(ADMIN_URL + "?connectTimeout=2", USER, "")) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    /** Creates an empty database and returns its JDBC URL. */
    public static String createDatabase() {
        String name = "greenbridge_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create test database", e);
        }
        return "jdbc:postgresql://127.0.0.1:5432/" + name;
    }

    public static void dropDatabase(String url) {
        String name = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (Exception e) {
            // best effort: a leftover test database does no harm
        }
    }
}
