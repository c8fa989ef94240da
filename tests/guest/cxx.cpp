// C++ with mote-c++: classes with virtual functions, global constructors
// and destructors, new and delete, local statics, templates, and the C
// library's headers from C++. No exceptions, RTTI or C++ library.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

namespace {

int constructed;

struct Shape {
    virtual ~Shape() {}
    virtual double area() const = 0;
    virtual const char *name() const { return "shape"; }
};

struct Circle : Shape {
    double r;
    explicit Circle(double r) : r(r) {}
    double area() const override { return M_PI * r * r; }
    const char *name() const override { return "circle"; }
};

struct Square : Shape {
    double s;
    explicit Square(double s) : s(s) {}
    double area() const override { return s * s; }
};

struct Global {
    Global() { constructed = 42; }
    ~Global() { printf("global destructor ran\n"); }
} global;

template <typename T> T largest(const T *v, int n)
{
    T m = v[0];
    for (int i = 1; i < n; i++)
        m = v[i] > m ? v[i] : m;
    return m;
}

int counter()
{
    static int calls = constructed; // a local static, guarded
    return ++calls;
}

} // namespace

#define CHECK(c)                                                               \
    do {                                                                       \
        if (!(c)) {                                                            \
            printf("CHECK failed at line %d: %s\n", __LINE__, #c);             \
            exit(1);                                                           \
        }                                                                      \
    } while (0)

int main()
{
    Shape *shapes[] = { new Circle(1.0), new Square(2.0) };
    int v[] = { 3, 9, 4 };
    double *big = new double[1000]();

    CHECK(constructed == 42);
    CHECK(!strcmp(shapes[0]->name(), "circle"));
    CHECK(!strcmp(shapes[1]->name(), "shape"));
    CHECK(fabs(shapes[0]->area() - 3.14159265) < 1e-6);
    CHECK(shapes[1]->area() == 4.0);
    CHECK(largest(v, 3) == 9 && largest(shapes, 2) != nullptr);
    CHECK(counter() == 43 && counter() == 44);
    CHECK(big[999] == 0.0);
    delete[] big;
    for (Shape *s : shapes)
        delete s;
    printf("cxx ok\n");
    return 0;
}
