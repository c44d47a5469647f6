# Greenbridge — see README.md
MVN ?= mvn -B
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
JAR := target/greenbridge.jar

.PHONY: run test bench build clean

## make run: build when needed, then start in sandbox mode (simulators + demo data on loopback)
run:
	$(MVN) -q -DskipTests test-compile
	$(MVN) -q spring-boot:test-run -Dspring-boot.run.main-class=io.greenbridge.sandbox.SandboxApplication

## make test: the whole suite; verify packages the jar, then Failsafe runs the *IT tests against it
## (Surefire and Failsafe print their summary lines; a failing test of either fails the build)
test:
	$(MVN) verify

## make bench: benchmarks; figures printed as a table and written to target/bench/*.json
bench:
	$(MVN) test -Dgroups=bench -Dtest.excluded.groups=none -Dtest.redirect.output=false | grep -v -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}T|^\s+at |^\[INFO\] (Download|Copying)'

## build the live-mode jar, target/greenbridge.jar
build: $(JAR)
$(JAR): pom.xml $(shell find src/main -type f)
	$(MVN) -q -DskipTests package

clean:
	$(MVN) -q clean
