package dev.spindle.test.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.spindle.core.Config;
import dev.spindle.http.Spindle;
import dev.spindle.test.TestServer;
import dev.spindle.test.arch.fixture.LeakyApi;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Module boundaries from DESIGN.md, checked on the compiled framework (core, http and the test kit). */
class ArchitectureTest {

    private static JavaClasses framework;

    @BeforeAll
    static void importFramework() {
        // The modules' own jars or class folders: scanning the whole class path for a package is slow.
        framework = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importLocations(List.of(codeSource(Config.class), codeSource(Spindle.class),
                        codeSource(TestServer.class)));
    }

    private static Location codeSource(Class<?> type) {
        URL url = type.getProtectionDomain().getCodeSource().getLocation();
        try {
            return url.getPath().endsWith(".jar") ? Location.of(new JarFile(Path.of(url.toURI()).toFile()))
                    : Location.of(url);
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("Cannot open " + url, e);
        }
    }

    private static ArchRule noOutsideUseOfInternals(String module) {
        return noClasses().that().resideOutsideOfPackage("dev.spindle." + module + "..")
                .should().dependOnClassesThat().resideInAPackage("dev.spindle." + module + ".internal..")
                .because("dev.spindle." + module + ".internal is free to change; no other module may use it");
    }

    private static ArchRule publicSignaturesIn(String apiPackage) {
        return codeUnits().that().arePublic()
                .and().areDeclaredInClassesThat().resideInAPackage(apiPackage)
                .and().areDeclaredInClassesThat().arePublic()
                .should(exposeNoNettyTypes())
                .because("handlers never see Netty: the public API keeps its types behind it");
    }

    private static ArchRule publicFieldsIn(String apiPackage) {
        return fields().that().arePublic()
                .and().areDeclaredInClassesThat().resideInAPackage(apiPackage)
                .and().areDeclaredInClassesThat().arePublic()
                .should(new ArchCondition<JavaField>("not be of a Netty type") {
                    @Override
                    public void check(JavaField field, ConditionEvents events) {
                        report(field, field.getType(), field.getFullName(), events);
                    }
                })
                .allowEmptyShould(true);
    }

    private static ArchCondition<JavaCodeUnit> exposeNoNettyTypes() {
        return new ArchCondition<>("not expose io.netty types in their signature") {
            @Override
            public void check(JavaCodeUnit codeUnit, ConditionEvents events) {
                List<JavaType> types = new ArrayList<>(codeUnit.getParameterTypes());
                types.add(codeUnit.getReturnType());
                codeUnit.getThrowsClause().getTypes().forEach(types::add);
                for (JavaType type : types) {
                    report(codeUnit, type, codeUnit.getFullName(), events);
                }
            }
        };
    }

    private static void report(Object owner, JavaType type, String where, ConditionEvents events) {
        Set<String> netty = new TreeSet<>();
        for (JavaClass involved : type.getAllInvolvedRawTypes()) {
            if (involved.getPackageName().startsWith("io.netty")) {
                netty.add(involved.getName());
            }
        }
        if (!netty.isEmpty()) {
            events.add(SimpleConditionEvent.violated(owner, where + " exposes " + netty));
        }
    }

    @Test
    void importsTheFrameworkModules() {
        assertThat(framework.containPackage("dev.spindle.core")).isTrue();
        assertThat(framework.containPackage("dev.spindle.http.internal")).isTrue();
        assertThat(framework.containPackage("dev.spindle.test")).isTrue();
    }

    @Test
    void onlyTheHttpModuleUsesItsInternals() {
        noOutsideUseOfInternals("http").check(framework);
    }

    @Test
    void onlyTheCoreModuleUsesItsInternals() {
        noOutsideUseOfInternals("core").check(framework);
    }

    @Test
    void onlyTheTestKitUsesItsInternals() {
        noOutsideUseOfInternals("test").check(framework);
    }

    @Test
    void publicHttpApiDoesNotExposeNettyTypes() {
        publicSignaturesIn("dev.spindle.http").check(framework);
        publicFieldsIn("dev.spindle.http").check(framework);
    }

    @Test
    void rulesCatchAClassThatBreaksThem() {
        JavaClasses leaky = new ClassFileImporter().importClasses(LeakyApi.class);

        assertThatThrownBy(() -> noOutsideUseOfInternals("http").check(leaky))
                .isInstanceOf(AssertionError.class).hasMessageContaining("RouteCollector");
        assertThatThrownBy(() -> publicSignaturesIn("dev.spindle.test.arch.fixture").check(leaky))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("LeakyApi.body()")
                .hasMessageContaining("LeakyApi.write(java.util.List)")
                .hasMessageContaining("io.netty.buffer.ByteBuf")
                .hasMessageNotContaining("LeakyApi.internal()");
        assertThatThrownBy(() -> publicFieldsIn("dev.spindle.test.arch.fixture").check(leaky))
                .isInstanceOf(AssertionError.class).hasMessageContaining("LeakyApi.buffer");
    }
}
