# Greenbridge — see README.md
MVN ?= mvn -B
JAR := target/greenbridge.jar

.PHONY: run test bench build clean

## make run: build when needed, then start in sandbox mode (simulators + demo data on loopback)
run:
	$(MVN) -q -DskipTests test-compile
	$(MVN) -q spring-boot:test-run -Dspring-boot.run.main-class=io.greenbridge.sandbox.SandboxApplication

## make test: the whole suite (Surefire prints its summary lines)
test:
	$(MVN) test

## make bench: benchmarks; figures printed as a table and written to target/bench/*.json
bench:
	$(MVN) test -Dgroups=bench -Dtest.excluded.groups=none

## build the live-mode jar, target/greenbridge.jar
build: $(JAR)
$(JAR): pom.xml $(shell find src/main -type f)
	$(MVN) -q -DskipTests package

clean:
	$(MVN) -q clean
