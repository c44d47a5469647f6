package io.greenbridge.assessment;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.greenbridge.config.GreenbridgeProperties;

/** Companies (assessment tenants), the tests each offers to Greenhouse, and their users. */
@Component
public class Tenants {
    private final JdbcTemplate jdbc;
    private final Map<String, String> defaultTests;

    public Tenants(JdbcTemplate jdbc, GreenbridgeProperties props) {
        this.jdbc = jdbc;
        Map<String, String> configured = props.assessment().defaultTests();
        this.defaultTests = configured == null ? Map.of() : new LinkedHashMap<>(configured);
    }

    /** A test as Greenhouse's list_tests shows it. */
    public record TestOffer(String id, String name) {
    }

    /** Creates a company offering {@code tests}, or the configured default tests when none are given. */
    @Transactional
    public String createCompany(String name, List<TestOffer> tests) {
        String id = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO companies (id, name, created_at) VALUES (?, ?, ?)", id, name, now());
        replaceTests(id, tests);
        return id;
    }

    @Transactional
    public void replaceTests(String companyId, List<TestOffer> tests) {
        List<TestOffer> offers = tests == null || tests.isEmpty()
                ? defaultTests.entrySet().stream().map(e -> new TestOffer(e.getKey(), e.getValue())).toList()
                : tests;
        jdbc.update("DELETE FROM company_tests WHERE company_id = ?", companyId);
        for (TestOffer t : offers) {
            jdbc.update("INSERT INTO company_tests (company_id, test_id, test_name) VALUES (?, ?, ?)",
                    companyId, t.id(), t.name());
        }
    }

    public boolean companyExists(String companyId) {
        return count("SELECT COUNT(*) FROM companies WHERE id = ?", companyId) > 0;
    }

    public List<TestOffer> tests(String companyId) {
        return jdbc.query("SELECT test_id, test_name FROM company_tests WHERE company_id = ? ORDER BY test_name, test_id",
                (rs, i) -> new TestOffer(rs.getString(1), rs.getString(2)), companyId);
    }

    public Optional<TestOffer> test(String companyId, String testId) {
        return jdbc.query("SELECT test_id, test_name FROM company_tests WHERE company_id = ? AND test_id = ?",
                (rs, i) -> new TestOffer(rs.getString(1), rs.getString(2)), companyId, testId).stream().findFirst();
    }

    public String addUser(String companyId, String email, String name) {
        String id = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO company_users (id, company_id, email, name, created_at) VALUES (?, ?, ?, ?, ?)",
                id, companyId, email, name, now());
        return id;
    }

    /** The company a user belongs to, if the user exists. */
    public Optional<String> companyOfUser(String userId) {
        return jdbc.queryForList("SELECT company_id FROM company_users WHERE id = ?", String.class, userId)
                .stream().findFirst();
    }

    private int count(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
