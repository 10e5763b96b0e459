/* Method numbers to message types, straight from the generated service descriptor: the Method
 * enum lists the rpcs of service DataPlane in order (a unit test holds the proto to that). */
#include "dpclient.h"

const ProtobufCMethodDescriptor *dpclient_method_descriptor(Bugle__Dp__Method method)
{
	const ProtobufCServiceDescriptor *svc = &bugle__dp__data_plane__descriptor;

	if ((int)method < 1 || (unsigned)method > svc->n_methods)
		return NULL;
	return &svc->methods[method - 1];
}
